import { type GateConfig, STAGES } from '@delivery/contracts';
import {
  type GateProjectFacts,
  type GlobalGateConfig,
  type ProjectGateOverrides,
  resolveGate,
} from './gate-resolution.js';

export type GateField = keyof GateConfig;

/**
 * When a field of `proposed` asks less of people than the same field of `reference`. Each field
 * is judged alone, so a refusal names every field that must change for the gate to be accepted.
 */
const LOOSENS: Record<GateField, (reference: GateConfig, proposed: GateConfig) => boolean> = {
  required: (_reference, proposed) => !proposed.required,
  // A stage has one gate point, so moving it drops the gate where it was; neither point is
  // stricter than the other (before stops the work from starting, after reviews its output).
  point: (reference, proposed) => proposed.point !== reference.point,
  // Any one of the roles may approve, so each role added lets more people pass the gate:
  // only a subset of the roles is as strict.
  approverRoles: (reference, proposed) =>
    proposed.approverRoles.some((role) => !reference.approverRoles.includes(role)),
  approvalsNeeded: (reference, proposed) => proposed.approvalsNeeded < reference.approvalsNeeded,
  expiresAfterMinutes: (reference, proposed) => proposed.expiresAfterMinutes > reference.expiresAfterMinutes,
  allowSelfApproval: (reference, proposed) => proposed.allowSelfApproval && !reference.allowSelfApproval,
};

/** The fields in which `proposed` asks less than `reference`, in the order GateConfig declares them. */
export function loosenedFields(reference: GateConfig, proposed: GateConfig): GateField[] {
  // A gate that asks nothing has nothing to loosen: whatever gate is put there adds an approval.
  if (!reference.required) return [];
  return (Object.keys(LOOSENS) as GateField[]).filter((field) => LOOSENS[field](reference, proposed));
}

export interface OverrideChangeContext {
  global: GlobalGateConfig;
  project: GateProjectFacts | undefined;
}

/**
 * The gate fields (`<stage>.<field>`) that a change of a project's overrides from `current` to
 * `next` loosens, which only an admin may do.
 *
 * The floor is what applies without the override (the global config, or the review that
 * `requireManualReview` asks for): the admin's baseline. So dropping an override, even one that
 * tightened, only returns the stage to the admin's baseline and loosens nothing.
 *
 * A field counts only when it asks less than the baseline AND less than the gate in force now.
 * What is in force now was either allowed by an admin or no looser than the baseline when it was
 * written, so keeping it (a form sends the stages it does not change again) or moving between it
 * and the baseline gives nobody more than they had. When the admin loosens the global config
 * later, an override that tightened it stays: it is the project's stricter rule.
 */
export function overrideLoosenings(
  context: OverrideChangeContext,
  current: ProjectGateOverrides,
  next: ProjectGateOverrides,
): string[] {
  return STAGES.flatMap((stage) => {
    const gateWith = (overrides: ProjectGateOverrides | undefined) =>
      resolveGate(context.global, overrides, context.project, stage).gate;
    const proposed = gateWith(next);
    const belowNow = loosenedFields(gateWith(current), proposed);
    return loosenedFields(gateWith(undefined), proposed)
      .filter((field) => belowNow.includes(field))
      .map((field) => `${stage}.${field}`);
  });
}
