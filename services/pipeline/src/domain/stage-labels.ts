import type { Stage } from '@delivery/contracts';

/** How messages for people name a stage. */
export const STAGE_LABELS: Record<Stage, string> = {
  '0_sales': 'sales',
  '1_onboarding': 'onboarding',
  '2_assignment': 'assignment',
  '3_build': 'build',
  '4_test': 'test',
  '5_defect_validation': 'defect validation',
  '6_complete': 'completion',
};
