import type { Stage } from '../../api/types';

/** Who did something: a person, or a service acting on its own. */
export interface Actor {
  kind: 'user' | 'service';
  id: string;
  name: string;
}

export interface Vote {
  by: Actor;
  at: string;
  comment: string | null;
}

export type GatePoint = 'before' | 'after';

/** One request for approval, as hitl answers it (`GET /api/approvals`). */
export interface Approval {
  id: string;
  projectId: string;
  stage: Stage;
  generation: number;
  point: GatePoint;
  attempt: number;
  status: 'pending' | 'granted' | 'sent_back' | 'expired' | 'superseded';
  gate: {
    required: boolean;
    point: GatePoint;
    approverRoles: string[];
    approvalsNeeded: number;
    expiresAfterMinutes: number;
    allowSelfApproval: boolean;
  };
  requestedBy: Actor;
  /** What the asker attached; the pipeline sends `projectName` and `client`. */
  context: Record<string, unknown>;
  votes: Vote[];
  sentBack: { by: Actor; at: string; comment: string } | null;
  requestedAt: string;
  expiresAt: string;
  closedAt: string | null;
  previousApprovalId: string | null;
}
