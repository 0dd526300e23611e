import { ConflictError, type DomainError, ForbiddenError } from '@delivery/service-kit';
import type { Refusal } from '../domain/approval.js';
import type { StoredApproval } from '../store/approval-store.js';

/**
 * A refused decision as HTTP: the approval's state is the problem (decided, expired, already
 * approved by this person) → 409 with that state; the person is (role, own request) → 403.
 */
export function refusalError(refusal: Refusal, approval: StoredApproval): DomainError {
  const details = {
    reason: refusal.refused,
    approvalId: approval.id,
    status: approval.status,
    expiresAt: approval.expiresAt,
    approvals: approval.votes.length,
    approvalsNeeded: approval.gate.approvalsNeeded,
  };
  switch (refusal.refused) {
    case 'not_pending':
    case 'expired':
    case 'already_voted':
      return new ConflictError(refusal.message, details);
    case 'missing_role':
      return new ForbiddenError(refusal.message, { ...details, requiredRoles: approval.gate.approverRoles });
    case 'self_approval':
    case 'not_a_person':
      return new ForbiddenError(refusal.message, details);
  }
}
