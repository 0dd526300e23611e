import { ignoreWrites, type OutboxWritten } from '@delivery/messaging';
import { type Fence, LeasedQueue } from '@delivery/service-kit';
import type { UpdateQuery } from 'mongoose';
import type { BackoffPolicy } from '../domain/backoff.js';
import { jobOutbox } from '../domain/job-events.js';
import {
  canceledUpdate,
  endAttempt,
  failureUpdate,
  interruptedUpdate,
  RELEASE_LEASE,
} from './failure-update.js';
import { JOB_QUEUE, type JobDocument, type JobModel } from './job-model.js';

/** A job this worker holds. `leaseToken` fences every later write: lose the lease, lose the write. */
export interface ClaimedJob {
  job: JobDocument;
  leaseToken: string;
}

export type LeaseState = 'held' | 'cancel-requested' | 'lost';

export type AttemptResult =
  | { outcome: 'success'; result: unknown }
  | { outcome: 'needs_human'; reason: string; result: unknown }
  | { outcome: 'failed'; error: string; permanent: boolean };

export type RecordedAs = 'recorded' | 'canceled' | 'lease-lost';

/** `not-due`: QUEUED but due later than this worker may claim; handed back to the scheduler. */
export type ClaimAttempt =
  | { status: 'claimed'; claim: ClaimedJob }
  | { status: 'not-due'; dueInMs: number }
  | { status: 'skipped' };

const fenceOf = (claim: ClaimedJob): Fence => ({ id: claim.job._id, leaseToken: claim.leaseToken });

/**
 * The worker side of the job queue: claim, heartbeat, and record what happened. The lease
 * mechanics are service-kit's LeasedQueue; what a job's outcome means is here.
 */
export class JobLeases {
  private readonly queue: LeasedQueue<JobDocument>;

  constructor(
    model: JobModel,
    private readonly backoff: BackoffPolicy,
    private readonly clock: () => Date = () => new Date(),
    written: OutboxWritten = ignoreWrites,
  ) {
    this.queue = new LeasedQueue({ model, shape: JOB_QUEUE, clock, written });
  }

  /**
   * Only a QUEUED, due job can be claimed, by one worker of those racing for it; each claim opens
   * an attempt in the job's history and announces it. A QUEUED job not yet due by this worker's
   * clock (plus the skew allowance) is handed back to the scheduler rather than dropped.
   */
  async claim(jobId: string, workerId: string, leaseMs: number, skewAllowanceMs = 0): Promise<ClaimAttempt> {
    const attempt = await this.queue.claim(jobId, workerId, {
      leaseMs,
      skewAllowanceMs,
      extras: (job, attempts, now) => ({
        set: { lockedAt: now },
        push: { history: { attempt: attempts, workerId, startedAt: now } },
        outbox: [jobOutbox.started({ ...job, attempts }, workerId, now)],
      }),
    });
    if (attempt.status !== 'claimed') return attempt;
    return { status: 'claimed', claim: { job: attempt.lease.item, leaseToken: attempt.lease.leaseToken } };
  }

  /** Gives a dispatch back to the scheduler without acting on it (the worker is shutting down). */
  handBack(jobId: string): Promise<void> {
    return this.queue.handBack(jobId);
  }

  /** Extends the lease if this worker still holds it, and says whether a cancel was asked for. */
  async heartbeat(claim: ClaimedJob, leaseMs: number): Promise<LeaseState> {
    const held = await this.queue.heartbeat(fenceOf(claim), leaseMs, ['cancelRequested']);
    if (!held) return 'lost';
    return held.cancelRequested ? 'cancel-requested' : 'held';
  }

  /**
   * Records the attempt's result only while the lease is still ours (fencing): a worker whose
   * lease expired and whose job was handed to another cannot overwrite that job. A cancel asked
   * for while the handler ran wins over whatever the handler returned.
   */
  async record(claim: ClaimedJob, result: AttemptResult): Promise<RecordedAs> {
    return this.finish(claim, this.outcomeUpdate(claim.job, result, this.clock()));
  }

  /** Puts the job back QUEUED without counting the attempt (see interruptedUpdate). */
  interrupt(claim: ClaimedJob): Promise<RecordedAs> {
    return this.finish(claim, interruptedUpdate(claim.job, this.clock()));
  }

  /** Writes `update` if the lease is still ours and nobody asked to cancel; a cancel wins. */
  private async finish(claim: ClaimedJob, update: UpdateQuery<JobDocument>): Promise<RecordedAs> {
    const fence = fenceOf(claim);
    if (await this.queue.record(fence, update, { cancelRequested: false })) return 'recorded';
    const cancel = canceledUpdate(claim.job, this.clock());
    if (await this.queue.record(fence, cancel, { cancelRequested: true })) return 'canceled';
    return 'lease-lost';
  }

  private outcomeUpdate(job: JobDocument, result: AttemptResult, now: Date): UpdateQuery<JobDocument> {
    switch (result.outcome) {
      case 'success':
        return {
          $set: {
            ...RELEASE_LEASE,
            ...endAttempt(job, 'success', now),
            status: 'SUCCESS',
            result: result.result ?? null,
            error: null,
            finishedAt: now,
          },
          $push: { outbox: jobOutbox.succeeded(job, result.result, now) },
        };
      case 'needs_human':
        return {
          $set: {
            ...RELEASE_LEASE,
            ...endAttempt(job, 'needs_human', now),
            status: 'NEEDS_HUMAN',
            needsHumanReason: result.reason,
            result: result.result ?? null,
          },
          $push: { outbox: jobOutbox.needsHuman(job, result.reason, now) },
        };
      case 'failed':
        // A permanent failure skips the remaining attempts.
        return failureUpdate(
          result.permanent ? { ...job, maxAttempts: job.attempts } : job,
          result.error,
          'failed',
          now,
          this.backoff,
        );
    }
  }
}
