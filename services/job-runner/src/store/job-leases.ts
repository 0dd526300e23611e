import { randomUUID } from 'node:crypto';
import {
  ignoreWrites,
  type OutboxWritten,
  pushedOutboxEntries,
  WITHOUT_OUTBOX_FIELDS,
} from '@delivery/messaging';
import type { UpdateQuery } from 'mongoose';
import type { BackoffPolicy } from '../domain/backoff.js';
import { jobOutbox } from '../domain/job-events.js';
import { claimableUntil, decideClaim } from '../domain/transitions.js';
import {
  canceledUpdate,
  endAttempt,
  failureUpdate,
  interruptedUpdate,
  RELEASE_LEASE,
} from './failure-update.js';
import type { JobDocument, JobModel } from './job-model.js';

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
   * claimed, so two workers racing for it cannot both win. A QUEUED job not yet due by this
   * worker's clock (plus the skew allowance) is handed back to the scheduler rather than
   * dropped: clearing `dispatchedAt` makes it dispatch the job again as soon as it is due.
   */
  async claim(jobId: string, workerId: string, leaseMs: number, skewAllowanceMs = 0): Promise<ClaimAttempt> {
    const now = this.clock();
    const current = await this.model.findById(jobId, WITHOUT_OUTBOX_FIELDS).lean<JobDocument>();
    const decision = decideClaim(current, now, skewAllowanceMs);
    if (!current || decision.kind === 'skip') return { status: 'skipped' };
    if (decision.kind === 'not-due') {
      await this.clearDispatch(current);
      return { status: 'not-due', dueInMs: decision.dueInMs };
    }
    const leaseToken = randomUUID();
    const attempt = current.attempts + 1;
    const started = jobOutbox.started({ ...current, attempts: attempt }, workerId, now);
    const claimed = await this.model
      .findOneAndUpdate(
        {
          _id: jobId,
          status: 'QUEUED',
          attempts: current.attempts,
          nextRunAt: { $lte: claimableUntil(now, skewAllowanceMs) },
        },
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
        { returnDocument: 'after', projection: WITHOUT_OUTBOX_FIELDS },
      )
      .lean<JobDocument>();
    if (!claimed) return { status: 'skipped' };
    this.written(jobId, [started]);
    return { status: 'claimed', claim: { job: claimed, leaseToken } };
  }

  /**
   * Gives a dispatch back to the scheduler without acting on it (the worker is shutting down):
   * the scheduler sends it again within a pass, to a worker that takes jobs. Failing the message
   * instead would spend the dispatch queue's few retries and, after a few stopping workers in a
   * row, dead-letter it.
   */
  async handBack(jobId: string): Promise<void> {
    const current = await this.model
      .findById(jobId, { status: 1, nextRunAt: 1, dispatchedAt: 1 })
      .lean<Pick<JobDocument, '_id' | 'status' | 'nextRunAt' | 'dispatchedAt'>>();
    if (current?.status === 'QUEUED') await this.clearDispatch(current);
  }

  /** Marks a QUEUED job undispatched, unless it changed (or was dispatched again) since it was read. */
  private async clearDispatch(read: Pick<JobDocument, '_id' | 'nextRunAt' | 'dispatchedAt'>): Promise<void> {
    await this.model.updateOne(
      { _id: read._id, status: 'QUEUED', nextRunAt: read.nextRunAt, dispatchedAt: read.dispatchedAt },
      { $set: { dispatchedAt: null } },
    );
  }

  /** Extends the lease if this worker still holds it, and says whether a cancel was asked for. */
  async heartbeat(claim: ClaimedJob, leaseMs: number): Promise<LeaseState> {
    const now = this.clock();
    const held = await this.model
      .findOneAndUpdate(
        { _id: claim.job._id, status: 'RUNNING', leaseToken: claim.leaseToken },
        { $set: { leaseExpiresAt: new Date(now.getTime() + leaseMs) } },
        { returnDocument: 'after', projection: { cancelRequested: 1 } },
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
    return this.finish(claim, this.outcomeUpdate(claim.job, result, this.clock()));
  }

  /** Puts the job back QUEUED without counting the attempt (see interruptedUpdate). */
  interrupt(claim: ClaimedJob): Promise<RecordedAs> {
    return this.finish(claim, interruptedUpdate(claim.job, this.clock()));
  }

  /** Writes `update` if the lease is still ours and nobody asked to cancel; a cancel wins. */
  private async finish(claim: ClaimedJob, update: UpdateQuery<JobDocument>): Promise<RecordedAs> {
    const held = { _id: claim.job._id, status: 'RUNNING' as const, leaseToken: claim.leaseToken };
    if ((await this.model.updateOne({ ...held, cancelRequested: false }, update)).matchedCount === 1) {
      this.written(claim.job._id, pushedOutboxEntries(update));
      return 'recorded';
    }
    const cancel = canceledUpdate(claim.job, this.clock());
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
