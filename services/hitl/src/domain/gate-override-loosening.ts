import { STAGES } from '@delivery/contracts';
import {
  type GateProjectFacts,
  type GlobalGateConfig,
  type ProjectGateOverrides,
  resolveGate,
} from './gate-resolution.js';
import { loosenedFields } from './gate-strictness.js';

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
