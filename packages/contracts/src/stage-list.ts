/**
 * The stages as plain data (`@delivery/contracts/stages`): zod-free, so the web app has them
 * without the schemas. `stages.ts` builds `stageSchema` from this list.
 */

/** The seven stages every project moves through, in order. */
export const STAGES = [
  '0_sales',
  '1_onboarding',
  '2_assignment',
  '3_build',
  '4_test',
  '5_defect_validation',
  '6_complete',
] as const;

export type Stage = (typeof STAGES)[number];

/** The job kind each stage with automated work runs; the other stages complete without a job. */
export const STAGE_JOB_KINDS: Partial<Record<Stage, 'build' | 'test' | 'defect_validation'>> = {
  '3_build': 'build',
  '4_test': 'test',
  '5_defect_validation': 'defect_validation',
};

export const hasAutomatedWork = (stage: Stage): boolean => STAGE_JOB_KINDS[stage] !== undefined;
