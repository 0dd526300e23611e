import {
  ignoreWrites,
  type OutboxWritten,
  pushedOutboxEntries,
  WITHOUT_OUTBOX_FIELDS,
} from '@delivery/messaging';
import type { BackoffPolicy } from '../domain/backoff.js';
import { dispatchEntry } from '../domain/job-events.js';
import { canceledUpdate, failureUpdate } from './failure-update.js';
import type { JobDocument, JobModel } from './job-model.js';

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
    private readonly written: OutboxWritten = ignoreWrites,
    /** A lease is over only this long after its end by our clock: the worker's may run behind. */
    private readonly leaseGraceMs = 0,
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
    const dispatched = await Promise.all(
      due.map(async (job) => {
        const entry = dispatchEntry(job, now);
        const result = await this.model.updateOne(
          { _id: job._id, status: 'QUEUED', dispatchedAt: job.dispatchedAt },
          { $set: { dispatchedAt: now }, $push: { outbox: entry } },
        );
        if (result.modifiedCount !== 1) return undefined;
        this.written(job._id, [entry]);
        return job._id;
      }),
    );
    return dispatched.filter((id) => id !== undefined);
  }

  /**
   * A RUNNING job whose lease ran out lost its worker (killed, hung, partitioned). The attempt
   * counts as failed, so a job that kills every worker it touches still ends FAILED.
   */
  async expireLeases(limit: number): Promise<string[]> {
    const now = this.clock();
    const over = new Date(now.getTime() - this.leaseGraceMs);
    const expired = await this.model
      .find({ status: 'RUNNING', leaseExpiresAt: { $lt: over } }, WITHOUT_OUTBOX_FIELDS)
      .limit(limit)
      .lean<JobDocument[]>();
    const putBack = await Promise.all(
      expired.map(async (job) => {
        const update = job.cancelRequested
          ? canceledUpdate(job, now)
          : failureUpdate(
              job,
              `lease expired: worker ${job.lockedBy} stopped heartbeating`,
              'lease_expired',
              now,
              this.backoff,
            );
        // The job must still be as read: a heartbeat that extended the lease, or a cancel asked
        // for, since the read makes this write match nothing.
        const result = await this.model.updateOne(
          {
            _id: job._id,
            status: 'RUNNING',
            leaseToken: job.leaseToken,
            leaseExpiresAt: { $lt: over },
            cancelRequested: job.cancelRequested ? true : { $ne: true },
          },
          update,
        );
        if (result.modifiedCount !== 1) return undefined;
        this.written(job._id, pushedOutboxEntries(update));
        return job._id;
      }),
    );
    return putBack.filter((id) => id !== undefined);
  }
}
