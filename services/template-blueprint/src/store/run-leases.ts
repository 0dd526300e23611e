import { randomUUID } from 'node:crypto';
import {
  ignoreWrites,
  type OutboxWritten,
  pushedOutboxEntries,
  WITHOUT_OUTBOX_FIELDS,
} from '@delivery/messaging';
import type { UpdateQuery } from 'mongoose';
import { isDue } from '../domain/due.js';
import { runOutbox } from '../domain/run-events.js';
import type { GenerationError, GeneratorOutput } from '../generators/generator.js';
import { RELEASE_ACTIVE, type RunDocument, type RunModel } from './run-model.js';

export interface ClaimedRun {
  run: RunDocument;
  leaseToken: string;
}

export interface RunPolicy {
  /** How far this worker's clock may run behind the clock that scheduled a run. */
  clockSkewAllowanceMs: number;
  /** Delay before retry n is baseMs * 2^(n-1), capped. */
  baseMs: number;
  maxMs: number;
  /** How long a run waits before trying again when the generator was unavailable. */
  deferMs: number;
  /** Deferrals allowed before the run fails for good with `generator_unavailable`. */
  maxDeferrals: number;
}

export type RecordedAs = 'succeeded' | 'failed' | 'retry-scheduled' | 'deferred' | 'released' | 'lease-lost';

const RELEASE = { lockedBy: null, leaseToken: null, leaseExpiresAt: null } as const;

/**
 * The worker side of runs: claim with a lease, heartbeat, and record the outcome fenced by the
 * lease token (a worker that lost its run cannot overwrite the new owner's result).
 */
export class RunLeases {
  constructor(
    private readonly runs: RunModel,
    private readonly policy: RunPolicy,
    private readonly clock: () => Date = () => new Date(),
    private readonly written: OutboxWritten = ignoreWrites,
  ) {}

  /**
   * Claims a queued, due run. A command for a run that is not queued (a duplicate, a run already
   * taken or finished) is simply done with. One for a queued run that is not due yet by this
   * worker's clock is never just dropped: the run's dispatch marker is cleared so the sweeper
   * sends it again as soon as it is due.
   */
  async claim(runId: string, workerId: string, leaseMs: number): Promise<ClaimedRun | undefined> {
    const now = this.clock();
    const current = await this.runs.findById(runId, WITHOUT_OUTBOX_FIELDS).lean<RunDocument>();
    if (current?.status !== 'queued') return undefined;
    if (!isDue(current.nextAttemptAt, now, this.policy.clockSkewAllowanceMs)) {
      await this.runs.updateOne(
        {
          _id: runId,
          status: 'queued',
          attempt: current.attempt,
          deferrals: current.deferrals,
          dispatchedAt: current.dispatchedAt,
        },
        { $set: { dispatchedAt: null } },
      );
      return undefined;
    }
    const leaseToken = randomUUID();
    const attempt = current.attempt + 1;
    const started = runOutbox.started({ ...current, attempt }, now);
    const claimed = await this.runs
      .findOneAndUpdate(
        { _id: runId, status: 'queued', attempt: current.attempt, deferrals: current.deferrals },
        {
          $set: {
            status: 'running',
            attempt,
            lockedBy: workerId,
            leaseToken,
            leaseExpiresAt: new Date(now.getTime() + leaseMs),
            startedAt: current.startedAt ?? now,
            dispatchedAt: null,
          },
          $push: { outbox: started },
        },
        { returnDocument: 'after', projection: WITHOUT_OUTBOX_FIELDS },
      )
      .lean<RunDocument>();
    if (!claimed) return undefined;
    this.written(runId, [started]);
    return { run: claimed, leaseToken };
  }

  async heartbeat(claim: ClaimedRun, leaseMs: number): Promise<boolean> {
    const now = this.clock();
    const held = await this.runs.updateOne(
      { _id: claim.run._id, status: 'running', leaseToken: claim.leaseToken },
      { $set: { leaseExpiresAt: new Date(now.getTime() + leaseMs) } },
    );
    return held.matchedCount === 1;
  }

  async succeed(claim: ClaimedRun, output: GeneratorOutput): Promise<RecordedAs> {
    const now = this.clock();
    const durationMs = now.getTime() - (claim.run.startedAt ?? now).getTime();
    return this.finish(claim, 'succeeded', {
      $set: {
        ...RELEASE,
        status: 'succeeded',
        blueprint: output.blueprint,
        rawOutput: output.rawOutput,
        errorCode: null,
        errorMessage: null,
        finishedAt: now,
        durationMs,
      },
      $push: { outbox: runOutbox.succeeded(claim.run, durationMs, now) },
    });
  }

  /**
   * Retryable failures go back to the queue with backoff; a generator that was unavailable
   * (breaker open) defers the run without using up an attempt; everything else fails it.
   */
  async fail(claim: ClaimedRun, error: GenerationError): Promise<RecordedAs> {
    const now = this.clock();
    const { run } = claim;
    const kept = { errorCode: error.code, errorMessage: error.message, rawOutput: error.rawOutput ?? null };
    if (
      error.code === 'generator_unavailable' &&
      error.retryable &&
      run.deferrals < this.policy.maxDeferrals
    ) {
      return this.requeue(claim, 'deferred', {
        ...kept,
        attempt: run.attempt - 1,
        deferrals: run.deferrals + 1,
        nextAttemptAt: new Date(now.getTime() + this.policy.deferMs),
      });
    }
    if (error.retryable && error.code !== 'generator_unavailable' && run.attempt < run.maxAttempts) {
      const delay = Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** (run.attempt - 1));
      return this.requeue(claim, 'retry-scheduled', {
        ...kept,
        nextAttemptAt: new Date(now.getTime() + delay),
      });
    }
    return this.finish(claim, 'failed', failedUpdate(run, kept, now));
  }

  /**
   * A worker shutting down gives its run back: queued again at once with a new generate command,
   * the attempt not counted (the generator was interrupted, it did not fail), fenced by the
   * lease so a run already recorded or taken over is left alone.
   */
  release(claim: ClaimedRun, reason: string): Promise<RecordedAs> {
    const now = this.clock();
    return this.record(claim, 'released', {
      $set: {
        ...RELEASE,
        status: 'queued',
        attempt: claim.run.attempt - 1,
        errorCode: 'worker_shutdown',
        errorMessage: reason,
        nextAttemptAt: now,
        dispatchedAt: now,
      },
      $push: { outbox: runOutbox.generate(claim.run, now) },
    });
  }

  private requeue(claim: ClaimedRun, as: RecordedAs, changes: Partial<RunDocument>): Promise<RecordedAs> {
    return this.record(claim, as, { $set: { ...RELEASE, status: 'queued', dispatchedAt: null, ...changes } });
  }

  /** A finished run no longer blocks new generate requests for its template (same write). */
  private finish(claim: ClaimedRun, as: RecordedAs, update: UpdateQuery<RunDocument>): Promise<RecordedAs> {
    return this.record(claim, as, { ...update, ...RELEASE_ACTIVE });
  }

  private async record(
    claim: ClaimedRun,
    as: RecordedAs,
    update: UpdateQuery<RunDocument>,
  ): Promise<RecordedAs> {
    const result = await this.runs.updateOne(
      { _id: claim.run._id, status: 'running', leaseToken: claim.leaseToken },
      update,
    );
    if (result.matchedCount !== 1) return 'lease-lost';
    this.written(claim.run._id, pushedOutboxEntries(update));
    return as;
  }
}

export function failedUpdate(
  run: RunDocument,
  kept: { errorCode: string; errorMessage: string; rawOutput: string | null },
  now: Date,
): UpdateQuery<RunDocument> {
  return {
    $set: {
      ...RELEASE,
      ...kept,
      status: 'failed',
      finishedAt: now,
      durationMs: now.getTime() - (run.startedAt ?? now).getTime(),
    },
    ...RELEASE_ACTIVE,
    $push: { outbox: runOutbox.failed(run, kept.errorCode, kept.errorMessage, now) },
  };
}
