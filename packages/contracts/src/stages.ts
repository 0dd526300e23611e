import { z } from 'zod';

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

export const stageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof stageSchema>;
