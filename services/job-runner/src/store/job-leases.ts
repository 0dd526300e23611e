import { randomUUID } from 'node:crypto';
import { ignoreWrites, type OutboxWritten, pushedOutboxEntries } from '@delivery/messaging';
import type { UpdateQuery } from 'mongoose';
import type { BackoffPolicy } from '../domain/backoff.js';
import { jobOutbox } from '../domain/job-events.js';
import { canceledUpdate, endAttempt, failureUpdate, RELEASE_LEASE } from './failure-update.js';
import type { JobDocument, JobModel } from './job-model.js';
import { WITHOUT_OUTBOX } from './job-view.js';

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

/** The worker side of the queue: claim, heartbeat, and record what happened. */
export class JobLeases {
  constructor(
    private readonly model: JobModel,
    private readonly backoff: BackoffPolicy,
    private readonly clock: () => Date = () => new Date(),
    private readonly written: OutboxWritten = ignoreWrites,
  ) {}

  /**
   * One atomic conditional update: only a QUEUED, due job at the attempt count we read can be
   * claimed, so two workers racing for it cannot both win.
   */
  async claim(jobId: string, workerId: string, leaseMs: number): Promise<ClaimedJob | undefined> {
    const now = this.clock();
    const current = await this.model.findById(jobId, WITHOUT_OUTBOX).lean<JobDocument>();
    if (current?.status !== 'QUEUED' || current.nextRunAt.getTime() > now.getTime()) return undefined;
    const leaseToken = randomUUID();
    const attempt = current.attempts + 1;
    const started = jobOutbox.started({ ...current, attempts: attempt }, workerId, now);
    const claimed = await this.model
      .findOneAndUpdate(
        { _id: jobId, status: 'QUEUED', attempts: current.attempts, nextRunAt: { $lte: now } },
        {
          $set: {
            status: 'RUNNING',
            attempts: attempt,
            lockedBy: workerId,
            lockedAt: now,
            leaseExpiresAt: new Date(now.getTime() + leaseMs),
            leaseToken,
            startedAt: current.startedAt ?? now,
            dispatchedAt: null,
          },
          $push: {
            history: { attempt, workerId, startedAt: now },
            outbox: started,
          },
        },
        { new: true, projection: WITHOUT_OUTBOX },
      )
      .lean<JobDocument>();
    if (!claimed) return undefined;
    this.written(jobId, [started]);
    return { job: claimed, leaseToken };
  }

  /** Extends the lease if this worker still holds it, and says whether a cancel was asked for. */
  async heartbeat(claim: ClaimedJob, leaseMs: number): Promise<LeaseState> {
    const now = this.clock();
    const held = await this.model
      .findOneAndUpdate(
        { _id: claim.job._id, status: 'RUNNING', leaseToken: claim.leaseToken },
        { $set: { leaseExpiresAt: new Date(now.getTime() + leaseMs) } },
        { new: true, projection: { cancelRequested: 1 } },
      )
      .lean<Pick<JobDocument, 'cancelRequested'>>();
    if (!held) return 'lost';
    return held.cancelRequested ? 'cancel-requested' : 'held';
  }

  /**
   * Records the attempt's result only while the lease is still ours (fencing): a worker whose
   * lease expired and whose job was handed to another cannot overwrite that job. A cancel asked
   * for while the handler ran wins over whatever the handler returned.
   */
  async record(claim: ClaimedJob, result: AttemptResult): Promise<RecordedAs> {
    const now = this.clock();
    const held = { _id: claim.job._id, status: 'RUNNING' as const, leaseToken: claim.leaseToken };
    const outcome = this.outcomeUpdate(claim.job, result, now);
    if ((await this.model.updateOne({ ...held, cancelRequested: false }, outcome)).matchedCount === 1) {
      this.written(claim.job._id, pushedOutboxEntries(outcome));
      return 'recorded';
    }
    const cancel = canceledUpdate(claim.job, now);
    if ((await this.model.updateOne({ ...held, cancelRequested: true }, cancel)).matchedCount === 1) {
      this.written(claim.job._id, pushedOutboxEntries(cancel));
      return 'canceled';
    }
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
