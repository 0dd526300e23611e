import { expire } from '../domain/approval.js';
import type { ApprovalStore } from './approval-store.js';

/**
 * Expires pending approvals past their window. Each expiry is conditional on the approval's
 * revision, so an approval decided at the last moment stays decided, and two sweepers (two API
 * replicas) expire each approval once. Returns how many it expired.
 */
export async function expireOverdue(approvals: ApprovalStore, now: Date, batch: number): Promise<number> {
  const overdue = await approvals.overdue(now, batch);
  let expired = 0;
  for (const approval of overdue) {
    const change = expire(approval, now);
    if (change && (await approvals.apply(approval.revision, change))) expired++;
  }
  return expired;
}
