import type { Stage } from '@delivery/contracts/stages';

/** How the app names each stage (the stages themselves are the contracts': @delivery/contracts/stages). */
export const STAGE_LABELS: Record<Stage, string> = {
  '0_sales': 'Sales',
  '1_onboarding': 'Onboarding',
  '2_assignment': 'Assignment',
  '3_build': 'Build',
  '4_test': 'Test',
  '5_defect_validation': 'Defect validation',
  '6_complete': 'Complete',
};
