/**
 * The gate forms ↔ the hitl config. Forms hold what the inputs hold (text for numbers and role
 * lists), so what a person typed is sent as typed and the API's validation, not the browser's,
 * decides; its issues (`stages.3_build.approverRoles.1`) are matched back to the fields here.
 */

import { STAGES, type Stage } from '@delivery/contracts/stages';
import type { GateConfig, GatePoint, GlobalGateConfig, ProjectGateOverrides } from '../../api/answers';
import type { ApiBody, FieldIssue } from '../../api/client';

/** What hitl applies to a stage nobody configured (its DEFAULT_GATE): no approval needed. */
export const DEFAULT_GATE: GateConfig = {
  required: false,
  point: 'before',
  approverRoles: ['delivery_manager'],
  approvalsNeeded: 1,
  expiresAfterMinutes: 3 * 24 * 60,
  allowSelfApproval: false,
};

export const GATE_FIELDS = [
  'required',
  'point',
  'approverRoles',
  'approvalsNeeded',
  'expiresAfterMinutes',
  'allowSelfApproval',
] as const;
export type GateField = (typeof GATE_FIELDS)[number];

export interface GateFields {
  required: boolean;
  point: GatePoint;
  /** Comma- or space-separated role names. */
  approverRoles: string;
  approvalsNeeded: string;
  expiresAfterMinutes: string;
  allowSelfApproval: boolean;
}
export type GateForm = Record<Stage, GateFields>;

/** '' leaves the field to the global gate. */
export type Choice = '' | 'true' | 'false';
export interface OverrideFields {
  required: Choice;
  point: '' | GatePoint;
  approverRoles: string;
  approvalsNeeded: string;
  expiresAfterMinutes: string;
  allowSelfApproval: Choice;
}
export type OverrideForm = Record<Stage, OverrideFields>;

const perStage = <T>(make: (stage: Stage) => T) =>
  Object.fromEntries(STAGES.map((stage) => [stage, make(stage)])) as Record<Stage, T>;

export const rolesText = (roles: string[]) => roles.join(', ');
export const rolesOf = (text: string) => text.split(/[\s,]+/).filter((role) => role !== '');
/** Empty stays null so the API names the field as missing instead of the form inventing a number. */
const numberOf = (text: string): number | null => (text.trim() === '' ? null : Number(text));
const choiceOf = (value: boolean | undefined): Choice =>
  value === undefined ? '' : value ? 'true' : 'false';

function fieldsOf(gate: GateConfig): GateFields {
  return {
    required: gate.required,
    point: gate.point,
    approverRoles: rolesText(gate.approverRoles),
    approvalsNeeded: String(gate.approvalsNeeded),
    expiresAfterMinutes: String(gate.expiresAfterMinutes),
    allowSelfApproval: gate.allowSelfApproval,
  };
}

/** The gate a stage has before any project override: its global gate, else the default. */
export const globalGateOf = (config: GlobalGateConfig, stage: Stage): GateConfig => ({
  ...DEFAULT_GATE,
  ...config[stage],
});

export const gateFormOf = (config: GlobalGateConfig): GateForm =>
  perStage((stage) => fieldsOf(globalGateOf(config, stage)));

const sameFields = (a: GateFields, b: GateFields) => GATE_FIELDS.every((field) => a[field] === b[field]);

/**
 * The `PUT /api/gates/config` body: every configured stage, and the unconfigured ones someone
 * changed (an untouched one stays unconfigured rather than pinned to today's default). Sent as
 * typed (an empty number is null), so it is the route's body only once the person got it right:
 * hitl judges it and its issues show beside the fields.
 */
export function gateConfigBodyOf(
  form: GateForm,
  loaded: GlobalGateConfig,
  expectedRevision: number,
): ApiBody<'PUT /api/gates/config'> {
  const untouched = gateFormOf({});
  const stages: Partial<Record<Stage, unknown>> = {};
  for (const stage of STAGES) {
    const fields = form[stage];
    if (loaded[stage] === undefined && sameFields(fields, untouched[stage])) continue;
    stages[stage] = {
      required: fields.required,
      point: fields.point,
      approverRoles: rolesOf(fields.approverRoles),
      approvalsNeeded: numberOf(fields.approvalsNeeded),
      expiresAfterMinutes: numberOf(fields.expiresAfterMinutes),
      allowSelfApproval: fields.allowSelfApproval,
    };
  }
  return { stages, expectedRevision } as ApiBody<'PUT /api/gates/config'>;
}

export const overrideFormOf = (overrides: ProjectGateOverrides): OverrideForm =>
  perStage((stage) => {
    const override = overrides[stage] ?? {};
    return {
      required: choiceOf(override.required),
      point: override.point ?? '',
      approverRoles: override.approverRoles ? rolesText(override.approverRoles) : '',
      approvalsNeeded: override.approvalsNeeded === undefined ? '' : String(override.approvalsNeeded),
      expiresAfterMinutes:
        override.expiresAfterMinutes === undefined ? '' : String(override.expiresAfterMinutes),
      allowSelfApproval: choiceOf(override.allowSelfApproval),
    };
  });

/**
 * The `PUT /api/projects/:projectId/gate-overrides` body: per stage the fields set; null for a
 * stage whose override was cleared (so hitl drops it); stages never overridden are left out. As
 * typed, like the config's.
 */
export function overridesBodyOf(
  form: OverrideForm,
  loaded: ProjectGateOverrides,
  expectedRevision: number,
): ApiBody<'PUT /api/projects/:projectId/gate-overrides'> {
  const stages: Partial<Record<Stage, Record<string, unknown> | null>> = {};
  for (const stage of STAGES) {
    const fields = form[stage];
    const override: Record<string, unknown> = {};
    if (fields.required !== '') override.required = fields.required === 'true';
    if (fields.point !== '') override.point = fields.point;
    if (fields.approverRoles.trim() !== '') override.approverRoles = rolesOf(fields.approverRoles);
    if (fields.approvalsNeeded.trim() !== '') override.approvalsNeeded = numberOf(fields.approvalsNeeded);
    if (fields.expiresAfterMinutes.trim() !== '')
      override.expiresAfterMinutes = numberOf(fields.expiresAfterMinutes);
    if (fields.allowSelfApproval !== '') override.allowSelfApproval = fields.allowSelfApproval === 'true';
    if (Object.keys(override).length > 0) stages[stage] = override;
    else if (loaded[stage] !== undefined) stages[stage] = null;
  }
  return { stages, expectedRevision } as ApiBody<'PUT /api/projects/:projectId/gate-overrides'>;
}

const fieldPath = (stage: Stage, field: GateField) => `stages.${stage}.${field}`;
const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`);

/**
 * The API's messages for one field, joined. A message about one role of the list
 * (`approverRoles.1`) names the role, since the input holds them all.
 */
export function fieldIssue(
  issues: FieldIssue[],
  stage: Stage,
  field: GateField,
  roles: string[] = [],
): string | undefined {
  const prefix = fieldPath(stage, field);
  const messages = issues
    .filter((issue) => isUnder(issue.path, prefix))
    .map((issue) => {
      const index = Number(issue.path.slice(prefix.length + 1));
      const role = issue.path !== prefix && Number.isInteger(index) ? roles[index] : undefined;
      return role === undefined ? issue.message : `"${role}": ${issue.message}`;
    });
  return messages.length > 0 ? messages.join('; ') : undefined;
}

/** Issues no field shows (a whole stage, the revision): the form lists them above its fields. */
export const otherIssues = (issues: FieldIssue[]) =>
  issues.filter(
    (issue) =>
      !STAGES.some((stage) => GATE_FIELDS.some((field) => isUnder(issue.path, fieldPath(stage, field)))),
  );

/** A gate value as the forms show it: "yes", "delivery_manager, qa_lead", "4320". */
export function valueText(value: GateConfig[GateField]): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return rolesText(value);
  return String(value);
}
