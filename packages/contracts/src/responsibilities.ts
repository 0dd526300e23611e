// Zod-free (`@delivery/contracts/responsibilities`): the web app's inbox reads the labels without
// the schemas; hitl.ts builds `responsibilitySchema` from the list.

/** Why a person counts among those responsible for the work a gate reviews. */
export const RESPONSIBILITIES = [
  /** Asked for the gate (their action led to the request). */
  'requested',
  'confirmed_sale',
  'saved_onboarding',
  /** Chose the assignees. */
  'assigned',
  'assignee',
  'uploaded_artifact',
  'uploaded_test_report',
] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

/** How each responsibility reads to people (refusals, the approvals inbox). */
export const RESPONSIBILITY_LABELS: Record<Responsibility, string> = {
  requested: 'asked for it',
  confirmed_sale: 'confirmed the sale',
  saved_onboarding: 'saved the onboarding answers',
  assigned: 'chose the assignees',
  assignee: 'assigned to the project',
  uploaded_artifact: 'uploaded an artifact',
  uploaded_test_report: 'uploaded a test report',
};
