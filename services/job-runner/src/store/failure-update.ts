import { givenBackFields, LEASE_RELEASED, requeuedFields } from '@delivery/service-kit';
import type { UpdateQuery } from 'mongoose';
import type { BackoffPolicy } from '../domain/backoff.js';
import { dispatchEntry, jobOutbox } from '../domain/job-events.js';
import { decideAfterFailure } from '../domain/transitions.js';
import { type AttemptOutcome, JOB_QUEUE, type JobDocument } from './job-model.js';

export const RELEASE_LEASE = { ...LEASE_RELEASED, lockedAt: null } as const;

/** Closes the current attempt's history entry (the last one, pushed when it was claimed). */
export function endAttempt(
  job: Pick<JobDocument, 'history'>,
  outcome: AttemptOutcome,
  now: Date,
  error?: string,
) {
  const index = job.history.length - 1;
  return {
    [`history.${index}.endedAt`]: now,
    [`history.${index}.outcome`]: outcome,
    ...(error === undefined ? {} : { [`history.${index}.error`]: error }),
  };
}

/**
 * The one update for "this attempt failed", whether the handler threw or the worker vanished
 * (lease expired): retry later with backoff, or fail and dead-letter on the last attempt.
 */
export function failureUpdate(
  job: JobDocument,
  error: string,
  outcome: AttemptOutcome,
  now: Date,
  policy: BackoffPolicy,
): UpdateQuery<JobDocument> {
  const decision = decideAfterFailure(job.attempts, job.maxAttempts, now, policy);
  // A cancel asked for during this attempt must not carry over and stop a later one.
  const common = { ...RELEASE_LEASE, ...endAttempt(job, outcome, now, error), error, cancelRequested: false };
  if (decision.status === 'QUEUED') {
    return {
      $set: { ...common, ...requeuedFields(JOB_QUEUE, decision.nextRunAt, null) },
      $inc: { retries: 1 },
      $push: { outbox: jobOutbox.retryScheduled(job, error, decision.nextRunAt, now) },
    };
  }
  return {
    $set: { ...common, status: 'FAILED', finishedAt: now, deadLetteredAt: now },
    $push: { outbox: { $each: jobOutbox.failed(job, error, now) } },
  };
}

export const INTERRUPTED_BY_SHUTDOWN = 'interrupted by shutdown';

/**
 * The worker is shutting down (rolling deploy) and stopped the handler: the job goes straight
 * back to QUEUED and is dispatched again, and the attempt is given back, because the job did
 * nothing wrong.
 */
export function interruptedUpdate(job: JobDocument, now: Date): UpdateQuery<JobDocument> {
  return {
    $set: {
      ...RELEASE_LEASE,
      ...endAttempt(job, 'interrupted', now, INTERRUPTED_BY_SHUTDOWN),
      ...givenBackFields(JOB_QUEUE, job, now),
      cancelRequested: false,
    },
    $push: {
      outbox: {
        $each: [jobOutbox.retryScheduled(job, INTERRUPTED_BY_SHUTDOWN, now, now), dispatchEntry(job, now)],
      },
    },
  };
}

export function canceledUpdate(job: JobDocument, now: Date): UpdateQuery<JobDocument> {
  const running = job.status === 'RUNNING';
  return {
    $set: {
      ...RELEASE_LEASE,
      ...(running ? endAttempt(job, 'canceled', now) : {}),
      status: 'CANCELED',
      cancelRequested: false,
      finishedAt: now,
    },
    $push: { outbox: jobOutbox.canceled(job, job.status, now) },
  };
}
