import { randomUUID } from 'node:crypto';
import {
  type Actor,
  canonicalJson,
  type Identity,
  managesProject,
  mayLoosenGates,
  ROLES,
  type Stage,
} from '@delivery/contracts';
import type { AuditRecord } from './audit.js';
import { type OverrideChangeContext, overrideLoosenings } from './gate-override-loosening.js';
import type { GateOverride, GlobalGateConfig, ProjectGateOverrides } from './gate-resolution.js';

/** A change to the global config: the stages named get the gate given, whole. */
export type GlobalConfigChange = GlobalGateConfig;
/** A change to a project's overrides: per stage, the fields to override, or null to drop its override. */
export type OverridesChange = Partial<Record<Stage, GateOverride | null>>;

export interface ConfigChange<T> {
  next: T;
  /** Of a project's overrides: the fields an admin set, kept with them (see resolveGate). */
  adminFields?: string[];
  /** Empty when the change changes nothing (then nothing is written or audited). */
  audit: AuditRecord[];
}

export function changeGlobalConfig(
  current: GlobalGateConfig,
  change: GlobalConfigChange,
  actor: Actor,
  now: Date,
): ConfigChange<GlobalGateConfig> {
  const next = { ...current, ...change };
  return {
    next,
    audit: changed(current, next) ? [record('gate_config.changed', actor, now, null, current, next)] : [],
  };
}

export interface OverrideRules extends OverrideChangeContext {
  /** Only admins may loosen a project's gates below what applies without its override. */
  mayLoosen: boolean;
}

/** A change that would loosen a gate, by someone who may not: nothing is written. */
export interface OverrideRefusal {
  refused: 'override_loosens_gate';
  /** `<stage>.<field>` of every field loosened. */
  fields: string[];
}

export function changeOverrides(
  projectId: string,
  { stages: current, adminFields = [] }: { stages: ProjectGateOverrides; adminFields?: readonly string[] },
  change: OverridesChange,
  rules: OverrideRules,
  actor: Actor,
  now: Date,
): ConfigChange<ProjectGateOverrides> | OverrideRefusal {
  const next: ProjectGateOverrides = { ...current };
  for (const [stage, override] of Object.entries(change) as [Stage, GateOverride | null][]) {
    if (override === null || Object.keys(override).length === 0) delete next[stage];
    else next[stage] = override;
  }
  const kept = adminFields.filter((field) => sameField(current, next, field));
  const written = rules.mayLoosen
    ? fieldsOf(Object.fromEntries(Object.keys(change).map((stage) => [stage, next[stage as Stage]])))
    : [];
  const nextAdminFields = [...new Set([...kept, ...written])];
  // An admin writing what is there already adopts it: that is a change of who decided, recorded.
  if (!changed(current, next) && !changed([...adminFields].sort(), [...nextAdminFields].sort()))
    return { next, audit: [] };
  const loosened = overrideLoosenings(rules, current, next);
  if (loosened.length > 0 && !rules.mayLoosen) return { refused: 'override_loosens_gate', fields: loosened };
  return {
    next,
    adminFields: nextAdminFields,
    audit: [{ ...record('gate_override.changed', actor, now, projectId, current, next), loosened }],
  };
}

/**
 * Every field of the stages an admin's write names carries the admin's authority; a field someone
 * else changes loses it, one they leave as it was keeps it (a form sends every stage again).
 */
const fieldsOf = (overrides: ProjectGateOverrides) =>
  Object.entries(overrides).flatMap(([stage, override]) =>
    Object.keys(override ?? {}).map((field) => `${stage}.${field}`),
  );

function sameField(before: ProjectGateOverrides, after: ProjectGateOverrides, path: string): boolean {
  const [stage, field] = path.split('.') as [Stage, keyof GateOverride];
  const value = (overrides: ProjectGateOverrides) => overrides[stage]?.[field];
  return value(after) !== undefined && canonicalJson(value(before)) === canonicalJson(value(after));
}

/** Admins change any project's overrides; a delivery manager only those of the project they manage. */
export function mayChangeOverrides(
  person: Identity,
  project: { deliveryManagerId: string | null } | undefined,
): boolean {
  if (person.roles.includes(ROLES.admin)) return true;
  // The pipeline's own rule for who manages a project, on hitl's projection of the same facts.
  return project !== undefined && managesProject(person, project);
}

/** Loosening a project's gate below the admin's config is the admin's call alone. */
export const mayLoosenOverrides = (person: Identity): boolean => mayLoosenGates(person);

const changed = (before: unknown, after: unknown) => canonicalJson(before) !== canonicalJson(after);

function record(
  action: AuditRecord['action'],
  actor: Actor,
  at: Date,
  projectId: string | null,
  before: unknown,
  after: unknown,
): AuditRecord {
  return {
    id: randomUUID(),
    at,
    action,
    actor,
    projectId,
    stage: null,
    approvalId: null,
    comment: null,
    before,
    after,
  };
}
