import { ignoreWrites, type OutboxWritten } from '@delivery/messaging';
import {
  type Fence,
  givenBackFields,
  LEASE_RELEASED,
  LeasedQueue,
  requeuedFields,
} from '@delivery/service-kit';
import type { UpdateQuery } from 'mongoose';
import { runOutbox } from '../domain/run-events.js';
import type { GenerationError, GeneratorOutput } from '../generators/generator.js';
import { RELEASE_ACTIVE, RUN_QUEUE, type RunDocument, type RunModel } from './run-model.js';

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

const fenceOf = (claim: ClaimedRun): Fence => ({ id: claim.run._id, leaseToken: claim.leaseToken });

/**
 * The worker side of runs: claim with a lease, heartbeat, and record the outcome fenced by the
 * lease token (a worker that lost its run cannot overwrite the new owner's result). The lease
 * mechanics are service-kit's LeasedQueue; what a generation's outcome means is here.
 */
export class RunLeases {
  private readonly queue: LeasedQueue<RunDocument>;

  constructor(
    runs: RunModel,
    private readonly policy: RunPolicy,
    private readonly clock: () => Date = () => new Date(),
    written: OutboxWritten = ignoreWrites,
  ) {
    this.queue = new LeasedQueue({ model: runs, shape: RUN_QUEUE, clock, written });
  }

  /**
   * Claims a queued, due run. A command for a run that is not queued (a duplicate, a run already
   * taken or finished) is simply done with. One for a queued run that is not due yet by this
   * worker's clock is never just dropped: the run's dispatch marker is cleared so the sweeper
   * sends it again as soon as it is due.
   */
  async claim(runId: string, workerId: string, leaseMs: number): Promise<ClaimedRun | undefined> {
    const attempt = await this.queue.claim(runId, workerId, {
      leaseMs,
      skewAllowanceMs: this.policy.clockSkewAllowanceMs,
      extras: (run, attempt, now) => ({ outbox: [runOutbox.started({ ...run, attempt }, now)] }),
    });
    if (attempt.status !== 'claimed') return undefined;
    return { run: attempt.lease.item, leaseToken: attempt.lease.leaseToken };
  }

  async heartbeat(claim: ClaimedRun, leaseMs: number): Promise<boolean> {
    return (await this.queue.heartbeat(fenceOf(claim), leaseMs)) !== undefined;
  }

  async succeed(claim: ClaimedRun, output: GeneratorOutput): Promise<RecordedAs> {
    const now = this.clock();
    const durationMs = now.getTime() - (claim.run.startedAt ?? now).getTime();
    return this.finish(claim, 'succeeded', {
      $set: {
        ...LEASE_RELEASED,
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
      return this.requeue(claim, 'deferred', new Date(now.getTime() + this.policy.deferMs), {
        ...kept,
        attempt: run.attempt - 1,
        deferrals: run.deferrals + 1,
      });
    }
    if (error.retryable && error.code !== 'generator_unavailable' && run.attempt < run.maxAttempts) {
      const delay = Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** (run.attempt - 1));
      return this.requeue(claim, 'retry-scheduled', new Date(now.getTime() + delay), kept);
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
        ...givenBackFields(RUN_QUEUE, claim.run, now),
        errorCode: 'worker_shutdown',
        errorMessage: reason,
      },
      $push: { outbox: runOutbox.generate(claim.run, now) },
    });
  }

  /** Queued again, due `at`; the sweeper dispatches it then. */
  private requeue(
    claim: ClaimedRun,
    as: RecordedAs,
    at: Date,
    changes: Partial<RunDocument>,
  ): Promise<RecordedAs> {
    return this.record(claim, as, { $set: { ...requeuedFields(RUN_QUEUE, at, null), ...changes } });
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
    return (await this.queue.record(fenceOf(claim), update)) ? as : 'lease-lost';
  }
}

export function failedUpdate(
  run: RunDocument,
  kept: { errorCode: string; errorMessage: string; rawOutput: string | null },
  now: Date,
): UpdateQuery<RunDocument> {
  return {
    $set: {
      ...LEASE_RELEASED,
      ...kept,
      status: 'failed',
      finishedAt: now,
      durationMs: now.getTime() - (run.startedAt ?? now).getTime(),
    },
    ...RELEASE_ACTIVE,
    $push: { outbox: runOutbox.failed(run, kept.errorCode, kept.errorMessage, now) },
  };
}
