import { ignoreWrites, type OutboxWritten } from '@delivery/messaging';
import { LeasedQueue } from '@delivery/service-kit';
import type { BackoffPolicy } from '../domain/backoff.js';
import { dispatchEntry } from '../domain/job-events.js';
import { canceledUpdate, failureUpdate } from './failure-update.js';
import { JOB_QUEUE, type JobDocument, type JobModel } from './job-model.js';

/**
 * The housekeeping that keeps jobs moving: dispatch jobs that came due (scheduled runs and
 * retries after backoff), re-dispatch ones whose dispatch message went missing, and put back
 * jobs whose worker stopped heartbeating. Every write is conditional (service-kit's
 * LeasedQueue), so several schedulers (one per API replica) can run at once.
 */
export class JobScheduling {
  private readonly queue: LeasedQueue<JobDocument>;

  constructor(
    model: JobModel,
    private readonly backoff: BackoffPolicy,
    clock: () => Date = () => new Date(),
    written: OutboxWritten = ignoreWrites,
    /** A lease is over only this long after its end by our clock: the worker's may run behind. */
    private readonly leaseGraceMs = 0,
  ) {
    this.queue = new LeasedQueue({ model, shape: JOB_QUEUE, clock, written });
  }

  /** Returns the ids of the jobs it dispatched. */
  dispatchDue(limit: number, redispatchAfterMs: number): Promise<string[]> {
    return this.queue.dispatchDue(limit, redispatchAfterMs, dispatchEntry);
  }

  /**
   * A RUNNING job whose lease ran out lost its worker (killed, hung, partitioned). The attempt
   * counts as failed, so a job that kills every worker it touches still ends FAILED; a cancel
   * asked for ends it CANCELED.
   */
  expireLeases(limit: number): Promise<string[]> {
    return this.queue.expireLeases(limit, this.leaseGraceMs, (job, now) => ({
      update: job.cancelRequested
        ? canceledUpdate(job, now)
        : failureUpdate(
            job,
            `lease expired: worker ${job.lockedBy} stopped heartbeating`,
            'lease_expired',
            now,
            this.backoff,
          ),
      // A cancel asked for since the read makes this write match nothing.
      stillAsRead: { cancelRequested: job.cancelRequested ? true : { $ne: true } },
    }));
  }
}
