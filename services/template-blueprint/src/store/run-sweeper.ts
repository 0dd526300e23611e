import { ignoreWrites, type OutboxWritten } from '@delivery/messaging';
import { LeasedQueue, requeuedFields } from '@delivery/service-kit';
import type { UpdateQuery } from 'mongoose';
import { runOutbox } from '../domain/run-events.js';
import { failedUpdate } from './run-leases.js';
import { RUN_QUEUE, type RunDocument, type RunModel } from './run-model.js';

/**
 * Keeps runs from being lost or stuck. A `running` run whose lease expired lost its worker
 * (killed mid-run): it goes back to the queue, or fails with `worker_lost` after maxAttempts. A
 * queued run that came due (retry, deferral) or whose generate command went missing is sent
 * again. Every write is conditional (service-kit's LeasedQueue), so several API replicas may
 * sweep at once.
 */
export class RunSweeper {
  private readonly queue: LeasedQueue<RunDocument>;

  constructor(runs: RunModel, clock: () => Date = () => new Date(), written: OutboxWritten = ignoreWrites) {
    this.queue = new LeasedQueue({ model: runs, shape: RUN_QUEUE, clock, written });
  }

  /**
   * Returns the ids of the runs it put back or failed. A lease's expiry was set by the worker's
   * clock, so it counts as expired only `skewAllowanceMs` later by this one.
   */
  expireLeases(limit: number, skewAllowanceMs: number): Promise<string[]> {
    return this.queue.expireLeases(limit, skewAllowanceMs, (run, now) => {
      const message = `worker ${run.lockedBy} stopped heartbeating`;
      const update: UpdateQuery<RunDocument> =
        run.attempt >= run.maxAttempts
          ? failedUpdate(run, { errorCode: 'worker_lost', errorMessage: message, rawOutput: null }, now)
          : {
              $set: {
                ...requeuedFields(RUN_QUEUE, now, now),
                errorCode: 'worker_lost',
                errorMessage: message,
              },
              $push: { outbox: runOutbox.generate(run, now) },
            };
      return { update };
    });
  }

  /** Returns the ids of the runs it dispatched. */
  dispatchDue(limit: number, redispatchAfterMs: number): Promise<string[]> {
    return this.queue.dispatchDue(limit, redispatchAfterMs, runOutbox.generate);
  }
}
