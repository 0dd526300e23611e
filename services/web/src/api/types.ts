/** The shapes the app reads from the API (what the services answer, as far as the app uses it). */
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

export const STAGE_LABELS: Record<Stage, string> = {
  '0_sales': 'Sales',
  '1_onboarding': 'Onboarding',
  '2_assignment': 'Assignment',
  '3_build': 'Build',
  '4_test': 'Test',
  '5_defect_validation': 'Defect validation',
  '6_complete': 'Complete',
};

export interface Account {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

export interface Session {
  user: Account;
  roles: string[];
  via: 'session' | 'api_key';
  csrfToken?: string;
}

export interface ProjectSummary {
  id: string;
  name: string;
  client: string;
  status: 'active' | 'completed' | 'archived';
  currentStage: Stage;
  stageStatus: string;
  generation: number;
  reason: string | null;
  assignees: { id: string; name: string }[];
  deliveryManagerId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface BlockedReason {
  code: string;
  message: string;
  whoCanAct: string[];
  action: string;
}
