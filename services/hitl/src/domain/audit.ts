import type { Actor, Stage } from '@delivery/contracts';

export const AUDIT_ACTIONS = [
  'approval.requested',
  'approval.approved',
  'approval.granted',
  'approval.sent_back',
  'approval.expired',
  'approval.superseded',
  'approval.withdrawn',
  'gate_config.changed',
  'gate_override.changed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One immutable record of who did what, when, to what. Records are only ever appended, in the
 * same update as the change they describe, so a change and its record cannot part.
 */
export interface AuditRecord {
  id: string;
  at: Date;
  action: AuditAction;
  actor: Actor;
  projectId: string | null;
  stage: Stage | null;
  approvalId: string | null;
  comment: string | null;
  before: unknown;
  after: unknown;
  /**
   * Of a project's gate override change: the gate fields (`<stage>.<field>`) it loosened below
   * what applies without the override, which only an admin may do; empty when it loosened none.
   */
  loosened?: string[];
}
