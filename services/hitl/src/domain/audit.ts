import type { Actor, AuditAction, Stage } from '@delivery/contracts';

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
