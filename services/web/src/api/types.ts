/** The shapes the app reads from the API (what the services answer, as far as the app uses it). */
import type { Stage } from '@delivery/contracts/stages';

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
