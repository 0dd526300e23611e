import type { JobStatus } from '@delivery/contracts';
import { type BackoffPolicy, backoffDelayMs } from './backoff.js';

/**
 * The job state machine's decisions, free of I/O. The store turns each decision into one
 * conditional update, so a decision made on stale state simply matches nothing.
 */
export type FailureDecision =
  | { status: 'QUEUED'; nextRunAt: Date; delayMs: number }
  | { status: 'FAILED'; deadLettered: true };

/** After attempt number `attempts` failed: retry later, or give up and dead-letter. */
export function decideAfterFailure(
  attempts: number,
  maxAttempts: number,
  now: Date,
  policy: BackoffPolicy,
  random?: () => number,
): FailureDecision {
  if (attempts >= maxAttempts) return { status: 'FAILED', deadLettered: true };
  const delayMs = backoffDelayMs(attempts, policy, random);
  return { status: 'QUEUED', nextRunAt: new Date(now.getTime() + delayMs), delayMs };
}

export type ClaimDecision = { kind: 'claim' } | { kind: 'not-due'; dueInMs: number } | { kind: 'skip' };

/**
 * Whether a worker may claim a job a dispatch message names. `nextRunAt` was set on another
 * process's clock (the API's, for enqueue, retry and resume), so a job due within
 * `skewAllowanceMs` of this worker's clock counts as due. A QUEUED job due later than that is
 * not dropped: the caller hands it back to the scheduler.
 */
export function decideClaim(
  job: { status: JobStatus; nextRunAt: Date } | null | undefined,
  now: Date,
  skewAllowanceMs: number,
): ClaimDecision {
  if (job?.status !== 'QUEUED') return { kind: 'skip' };
  if (job.nextRunAt.getTime() <= claimableUntil(now, skewAllowanceMs).getTime()) return { kind: 'claim' };
  return { kind: 'not-due', dueInMs: job.nextRunAt.getTime() - now.getTime() };
}

/** The latest `nextRunAt` a worker at `now` may claim (the claim's update filters on it too). */
export const claimableUntil = (now: Date, skewAllowanceMs: number) =>
  new Date(now.getTime() + skewAllowanceMs);

export type CancelDecision = { kind: 'cancel-now' } | { kind: 'signal-worker' } | { kind: 'conflict' };

/**
 * Waiting jobs are canceled at once; a running one is asked to stop (its handler's AbortSignal
 * fires at the worker's next heartbeat) and ends CANCELED when the worker lets go or its lease
 * expires. Finished jobs cannot be canceled.
 */
export function decideCancel(status: JobStatus): CancelDecision {
  switch (status) {
    case 'QUEUED':
    case 'NEEDS_HUMAN':
      return { kind: 'cancel-now' };
    case 'RUNNING':
      return { kind: 'signal-worker' };
    default:
      return { kind: 'conflict' };
  }
}

/** Manual operations and the one status each is allowed from. */
export const REQUEUE_FROM = {
  retry: 'FAILED',
  resume: 'NEEDS_HUMAN',
} as const satisfies Record<string, JobStatus>;
