import {
  ignoreWrites,
  type OutboxWritten,
  pushedOutboxEntries,
  WITHOUT_OUTBOX_FIELDS,
} from '@delivery/messaging';
import type { UpdateQuery } from 'mongoose';
import { runOutbox } from '../domain/run-events.js';
import { failedUpdate } from './run-leases.js';
import type { RunDocument, RunModel } from './run-model.js';

/**
 * Keeps runs from being lost or stuck. A `running` run whose lease expired lost its worker
 * (killed mid-run): it goes back to the queue, or fails with `worker_lost` after maxAttempts. A
 * queued run that came due (retry, deferral) or whose generate command went missing is sent
 * again. Every write is conditional, so several API replicas may sweep at once.
 */
export class RunSweeper {
  constructor(
    private readonly runs: RunModel,
    private readonly clock: () => Date = () => new Date(),
    private readonly written: OutboxWritten = ignoreWrites,
  ) {}

  /**
   * Returns the ids of the runs it put back or failed. A lease's expiry was set by the worker's
   * clock, so it counts as expired only `skewAllowanceMs` later by this one.
   */
  async expireLeases(limit: number, skewAllowanceMs: number): Promise<string[]> {
    const now = this.clock();
    const expiredBefore = new Date(now.getTime() - skewAllowanceMs);
    const stale = await this.runs
      .find({ status: 'running', leaseExpiresAt: { $lt: expiredBefore } }, WITHOUT_OUTBOX_FIELDS)
      .limit(limit)
      .lean<RunDocument[]>();
    const swept: string[] = [];
    for (const run of stale) {
      const message = `worker ${run.lockedBy} stopped heartbeating`;
      const gaveUp = run.attempt >= run.maxAttempts;
      const update: UpdateQuery<RunDocument> = gaveUp
        ? failedUpdate(run, { errorCode: 'worker_lost', errorMessage: message, rawOutput: null }, now)
        : {
            $set: {
              status: 'queued',
              lockedBy: null,
              leaseToken: null,
              leaseExpiresAt: null,
              errorCode: 'worker_lost',
              errorMessage: message,
              nextAttemptAt: now,
              dispatchedAt: now,
            },
            $push: { outbox: runOutbox.generate(run, now) },
          };
      // Still expired at the write: a heartbeat landing since the read keeps the run its worker's.
      const result = await this.runs.updateOne(
        {
          _id: run._id,
          status: 'running',
          leaseToken: run.leaseToken,
          leaseExpiresAt: { $lt: expiredBefore },
        },
        update,
      );
      if (result.modifiedCount !== 1) continue;
      this.written(run._id, pushedOutboxEntries(update));
      swept.push(run._id);
    }
    return swept;
  }

  /** Returns the ids of the runs it dispatched. */
  async dispatchDue(limit: number, redispatchAfterMs: number): Promise<string[]> {
    const now = this.clock();
    const due = await this.runs
      .find(
        {
          status: 'queued',
          nextAttemptAt: { $lte: now },
          $or: [
            { dispatchedAt: null },
            { dispatchedAt: { $lte: new Date(now.getTime() - redispatchAfterMs) } },
          ],
        },
        WITHOUT_OUTBOX_FIELDS,
      )
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean<RunDocument[]>();
    const dispatched = await Promise.all(
      due.map(async (run) => {
        const command = runOutbox.generate(run, now);
        const result = await this.runs.updateOne(
          { _id: run._id, status: 'queued', dispatchedAt: run.dispatchedAt },
          { $set: { dispatchedAt: now }, $push: { outbox: command } },
        );
        if (result.modifiedCount !== 1) return undefined;
        this.written(run._id, [command]);
        return run._id;
      }),
    );
    return dispatched.filter((id) => id !== undefined);
  }
}
