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
