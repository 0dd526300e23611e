import {
  type GateConfig,
  type GatePoint,
  type GateRule,
  hasAutomatedWork,
  ROLES,
  type Stage,
} from '@delivery/contracts';
import { loosens } from './gate-strictness.js';

/** What a stage's gate is when nobody configured it: no approval needed. */
export const DEFAULT_GATE: GateConfig = {
  required: false,
  point: 'before',
  approverRoles: [ROLES.deliveryManager],
  approvalsNeeded: 1,
  expiresAfterMinutes: 3 * 24 * 60,
  allowSelfApproval: false,
};

/** The admins' gate per stage; a stage left out has DEFAULT_GATE. */
export type GlobalGateConfig = Partial<Record<Stage, GateConfig>>;
/** A project's changes to any fields of any stage's gate. */
export type GateOverride = Partial<GateConfig>;
export type ProjectGateOverrides = Partial<Record<Stage, GateOverride>>;

export interface GateProjectFacts {
  requireManualReview: boolean;
}

export interface GateLayer {
  rule: GateRule;
  applied: boolean;
  /** The fields this layer set, when it applied. */
  fields: (keyof GateConfig)[];
  why: string;
}

export interface ResolvedGate {
  stage: Stage;
  gate: GateConfig;
  decidedBy: GateRule;
  /** Every rule considered, in the order they apply, so a person can see why. */
  layers: GateLayer[];
}

/** A manual review is a required review of the stage's output. */
const MANUAL_REVIEW: Pick<GateConfig, 'required' | 'point'> = { required: true, point: 'after' };

/**
 * The gate of one stage of one project. A project's override of the stage wins (over the fields it
 * names); else the project's `requireManualReview` makes a stage with automated work need an
 * `after` review (approvers, count and expiry still from the global gate); else the global gate;
 * else the default (not required).
 *
 * An override field asking less than the gate without it (the admin's baseline) wins only when an
 * admin set it (`adminFields`, `<stage>.<field>`): a manager's override written when the stage had
 * no gate must not loosen a gate the admin adds later. Without `adminFields` (deciding what a
 * proposed override would do) every field counts.
 */
export function resolveGate(
  global: GlobalGateConfig,
  overrides: ProjectGateOverrides | undefined,
  project: GateProjectFacts | undefined,
  stage: Stage,
  adminFields?: readonly string[],
): ResolvedGate {
  const globalGate = global[stage];
  const manualReview = project?.requireManualReview === true && hasAutomatedWork(stage);
  let baseline: GateConfig = { ...DEFAULT_GATE, ...globalGate };
  if (manualReview) baseline = { ...baseline, ...MANUAL_REVIEW };
  const named = withoutUndefined(overrides?.[stage] ?? {});
  const ignored = (Object.keys(named) as (keyof GateConfig)[]).filter(
    (field) =>
      adminFields !== undefined &&
      !adminFields.includes(`${stage}.${field}`) &&
      loosens(baseline, field, named[field] as never),
  );
  const override = Object.fromEntries(
    Object.entries(named).filter(([field]) => !ignored.includes(field as keyof GateConfig)),
  ) as GateOverride;
  const overrideFields = Object.keys(override) as (keyof GateConfig)[];

  const layers: GateLayer[] = [
    {
      rule: 'default',
      applied: true,
      fields: fieldsOf(DEFAULT_GATE),
      why: 'a stage without config needs no approval',
    },
    {
      rule: 'global',
      applied: globalGate !== undefined,
      fields: globalGate ? fieldsOf(globalGate) : [],
      why: globalGate ? `the global config of ${stage}` : `no global config for ${stage}`,
    },
    {
      rule: 'manual_review',
      applied: manualReview,
      fields: manualReview ? fieldsOf(MANUAL_REVIEW) : [],
      why: manualReviewWhy(project, stage),
    },
    {
      rule: 'project_override',
      applied: overrideFields.length > 0,
      fields: overrideFields,
      why: [
        overrideFields.length > 0
          ? `the project overrides ${overrideFields.join(', ')}`
          : 'no project override',
        ...(ignored.length > 0
          ? [`${ignored.join(', ')} ignored: looser than the admin's config and not set by an admin`]
          : []),
      ].join('; '),
    },
  ];

  const gate: GateConfig = { ...baseline, ...override };
  const decidedBy = layers.findLast((layer) => layer.applied)?.rule ?? 'default';
  return { stage, gate, decidedBy, layers };
}

/** Whether the gate asks for an approval at this point of the stage. */
export function gateApplies(gate: GateConfig, point: GatePoint): boolean {
  return gate.required && gate.point === point;
}

function manualReviewWhy(project: GateProjectFacts | undefined, stage: Stage): string {
  if (!project) return 'the project is not known here yet';
  if (!project.requireManualReview) return 'the project does not require manual review';
  if (!hasAutomatedWork(stage)) return `${stage} has no automated work to review`;
  return 'the project requires a manual review of every stage with automated work';
}

const fieldsOf = (gate: Partial<GateConfig>) => Object.keys(gate) as (keyof GateConfig)[];

function withoutUndefined(override: GateOverride): GateOverride {
  return Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined));
}
