import type { Stage } from '@delivery/contracts/stages';

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

/** What a person did that makes the work under review theirs (hitl's RESPONSIBILITIES). */
export type Responsibility =
  | 'requested'
  | 'confirmed_sale'
  | 'saved_onboarding'
  | 'assigned'
  | 'assignee'
  | 'uploaded_artifact'
  | 'uploaded_test_report';

/** A person whose work the approval reviews: unless the gate allows it, they may not approve it. */
export interface ResponsiblePerson {
  id: string;
  name: string;
  reasons: Responsibility[];
}

/** One request for approval, as hitl answers it (`GET /api/approvals`). */
export interface Approval {
  id: string;
  projectId: string;
  stage: Stage;
  generation: number;
  point: GatePoint;
  attempt: number;
  status: 'pending' | 'granted' | 'sent_back' | 'expired' | 'superseded' | 'withdrawn';
  gate: {
    required: boolean;
    point: GatePoint;
    approverRoles: string[];
    approvalsNeeded: number;
    expiresAfterMinutes: number;
    allowSelfApproval: boolean;
  };
  requestedBy: Actor;
  /** Absent from a hitl that predates it. */
  responsiblePeople?: ResponsiblePerson[];
  /** What the asker attached; the pipeline sends `projectName` and `client`. */
  context: Record<string, unknown>;
  votes: Vote[];
  sentBack: { by: Actor; at: string; comment: string } | null;
  requestedAt: string;
  expiresAt: string;
  closedAt: string | null;
  previousApprovalId: string | null;
}
