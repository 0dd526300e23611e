import { CHANGED_MEANWHILE, compareAndSwap } from '@delivery/service-kit';
import { type ApprovalChange, expire, isRefusal, type Refusal } from '../domain/approval.js';
import type { ApprovalStore, StoredApproval } from './approval-store.js';

export type Decided = { approval: StoredApproval } | { refusal: Refusal; approval: StoredApproval };

/**
 * Loads an approval, lets `decide` (a domain transition) rule on it, and writes the outcome
 * conditional on what it ruled on; if the approval changed meanwhile, rules again on the new
 * state (bounded: ContendedError after MAX_ROUNDS). A refusal changes nothing, except that an
 * approval found past its window is expired on the spot (as the sweeper would) so that its state
 * and event do not wait for the sweep.
 */
export async function decideApproval(
  approvals: ApprovalStore,
  id: string,
  clock: () => Date,
  decide: (approval: StoredApproval, now: Date) => ApprovalChange | Refusal,
): Promise<Decided> {
  return compareAndSwap<Decided>(`approval ${id}`, async () => {
    const approval = await approvals.get(id);
    const now = clock();
    const outcome = decide(approval, now);
    if (isRefusal(outcome)) {
      if (outcome.refused !== 'expired') return { refusal: outcome, approval };
      const expiry = expire(approval, now);
      const expired = expiry && (await approvals.apply(approval.revision, expiry));
      // Not written: the sweeper (or a decision) changed it meanwhile; answer with what it is now.
      return { refusal: outcome, approval: expired ?? (await approvals.get(id)) };
    }
    const updated = await approvals.apply(approval.revision, outcome);
    return updated ? { approval: updated } : CHANGED_MEANWHILE;
  });
}
