/**
 * Whether a worker may claim an item a dispatch message names, free of I/O. The item's due time
 * was set on another process's clock (the API's, at creation, retry or resume), so an item due
 * within `skewAllowanceMs` of this worker's clock counts as due. A queued item due later than
 * that is not dropped: the worker hands it back to the sweep (`not-due`).
 */
export type ClaimDecision = { kind: 'claim' } | { kind: 'not-due'; dueInMs: number } | { kind: 'skip' };

export function decideClaim(
  item: { queued: boolean; dueAt: Date } | undefined,
  now: Date,
  skewAllowanceMs: number,
): ClaimDecision {
  if (!item?.queued) return { kind: 'skip' };
  if (item.dueAt.getTime() <= claimableUntil(now, skewAllowanceMs).getTime()) return { kind: 'claim' };
  return { kind: 'not-due', dueInMs: item.dueAt.getTime() - now.getTime() };
}

/** The latest due time a worker at `now` may claim (the claim's write filters on it too). */
export const claimableUntil = (now: Date, skewAllowanceMs: number): Date =>
  new Date(now.getTime() + skewAllowanceMs);
