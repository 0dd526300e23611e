import type { BackoffPolicy } from '../domain/backoff.js';
import { dispatchEntry } from '../domain/job-events.js';
import { canceledUpdate, failureUpdate } from './failure-update.js';
import type { JobDocument, JobModel } from './job-model.js';
import { WITHOUT_OUTBOX } from './job-view.js';

/**
 * The housekeeping that keeps jobs moving: dispatch jobs that came due (scheduled runs and
 * retries after backoff), re-dispatch ones whose dispatch message went missing, and put back
 * jobs whose worker stopped heartbeating. Every write is conditional, so several schedulers
 * (one per API replica) can run at once: the losers' updates match nothing.
 */
export class JobScheduling {
  constructor(
    private readonly model: JobModel,
    private readonly backoff: BackoffPolicy,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Returns the ids of the jobs it dispatched. */
  async dispatchDue(limit: number, redispatchAfterMs: number): Promise<string[]> {
    const now = this.clock();
    const stale = new Date(now.getTime() - redispatchAfterMs);
    const due = await this.model
      .find(
        {
          status: 'QUEUED',
          nextRunAt: { $lte: now },
          $or: [{ dispatchedAt: null }, { dispatchedAt: { $lte: stale } }],
        },
        { _id: 1, dispatchedAt: 1, correlationId: 1 },
      )
      .sort({ priority: -1, nextRunAt: 1 })
      .limit(limit)
      .lean<Pick<JobDocument, '_id' | 'dispatchedAt' | 'correlationId'>[]>();
    const results = await Promise.all(
      due.map((job) =>
        this.model.updateOne(
          { _id: job._id, status: 'QUEUED', dispatchedAt: job.dispatchedAt },
          { $set: { dispatchedAt: now }, $push: { outbox: dispatchEntry(job, now) } },
        ),
      ),
    );
    return due.filter((_, index) => results[index]?.modifiedCount === 1).map((job) => job._id);
  }

  /**
   * A RUNNING job whose lease ran out lost its worker (killed, hung, partitioned). The attempt
   * counts as failed, so a job that kills every worker it touches still ends FAILED.
   */
  async expireLeases(limit: number): Promise<string[]> {
    const now = this.clock();
    const expired = await this.model
      .find({ status: 'RUNNING', leaseExpiresAt: { $lt: now } }, WITHOUT_OUTBOX)
      .limit(limit)
      .lean<JobDocument[]>();
    const results = await Promise.all(
      expired.map((job) =>
        this.model.updateOne(
          { _id: job._id, status: 'RUNNING', leaseToken: job.leaseToken },
          job.cancelRequested
            ? canceledUpdate(job, now)
            : failureUpdate(
                job,
                `lease expired: worker ${job.lockedBy} stopped heartbeating`,
                'lease_expired',
                now,
                this.backoff,
              ),
        ),
      ),
    );
    return expired.filter((_, index) => results[index]?.modifiedCount === 1).map((job) => job._id);
  }
}
