import { type InFlightLeases, type Logger, leaseElapsedMs, startLeaseKeeper } from '@delivery/service-kit';
import {
  GenerationError,
  type Generator,
  type GeneratorName,
  type GeneratorOutput,
} from '../generators/generator.js';
import type { ClaimedRun, RecordedAs, RunLeases } from '../store/run-leases.js';
import { RunStoppedError } from './run-stopped.js';

export interface RunWorkerDeps {
  leases: RunLeases;
  inFlight: InFlightLeases;
  /** Kept on a run given back because this worker shut down during its generation. */
  shutdownReason: string;
  generators: Partial<Record<GeneratorName, Generator>>;
  workerId: string;
  leaseMs: number;
  heartbeatMs: number;
  logger: Logger;
}

const LEASE_LOST = {
  stop: 'lease-lost',
  message: 'lease lost: the run was canceled or handed to another worker',
} as const;

/**
 * Executes one generate command: claim the run (or skip it if it is not queued and due, e.g. a
 * duplicate command), generate while heartbeating, record the outcome fenced by the lease. A
 * worker whose heartbeats keep failing stops generating before its lease can run out, so the
 * sweeper never hands the run to another worker while this one still generates.
 */
export async function processRun(runId: string, deps: RunWorkerDeps): Promise<void> {
  const claim = await deps.leases.claim(runId, deps.workerId, deps.leaseMs);
  if (!claim) return;
  // Claimed while the worker was already giving its runs back: give this one back too.
  if (!deps.inFlight.accepting) {
    await deps.leases.release(claim, deps.shutdownReason);
    return;
  }
  const log = deps.logger.child({ runId, generator: claim.run.generator, attempt: claim.run.attempt });
  const controller = new AbortController();
  const lease = startLeaseKeeper({
    leaseMs: deps.leaseMs,
    heartbeatMs: deps.heartbeatMs,
    heartbeat: async () => ((await deps.leases.heartbeat(claim, deps.leaseMs)) ? 'held' : LEASE_LOST),
    firstLeaseElapsedMs: leaseElapsedMs(claim.run.leaseExpiresAt, deps.leaseMs),
    onHeartbeatError: (error) => log.warn({ err: error }, 'heartbeat failed'),
    onStop: (reason, message) => {
      log.warn({ reason }, `stopping generation: ${message}`);
      controller.abort(new RunStoppedError(reason, message));
    },
  });
  const untrack = deps.inFlight.track(() => void giveBack(claim, controller, deps, log));
  try {
    log.info({ recorded: await generateAndRecord(claim, deps, controller.signal) }, 'run attempt finished');
  } finally {
    lease.stop();
    untrack();
  }
}

/**
 * Still generating when the worker's drain ended: the run goes back in the queue (fenced by its
 * lease, attempt not counted, its command re-sent at once), and only then is its generator
 * aborted, so the aborted generator's own failure record finds the lease gone and cannot count
 * the attempt.
 */
async function giveBack(
  claim: ClaimedRun,
  controller: AbortController,
  deps: RunWorkerDeps,
  log: Logger,
): Promise<void> {
  const recorded = await deps.leases
    .release(claim, deps.shutdownReason)
    .catch((error: unknown) => log.warn({ err: error }, 'could not give the run back'));
  controller.abort(new Error(deps.shutdownReason));
  log.info({ recorded }, 'running generation given back on shutdown');
}

async function generateAndRecord(
  claim: ClaimedRun,
  deps: RunWorkerDeps,
  signal: AbortSignal,
): Promise<RecordedAs | 'abandoned'> {
  const generator = deps.generators[claim.run.generator];
  if (!generator) {
    return deps.leases.fail(
      claim,
      new GenerationError(
        'generator_unavailable',
        `generator "${claim.run.generator}" is not configured`,
        false,
      ),
    );
  }
  let output: GeneratorOutput;
  try {
    output = await generator.generate(claim.run.input, signal);
  } catch (error) {
    return stoppedByLease(signal) ?? deps.leases.fail(claim, asGenerationError(error));
  }
  return stoppedByLease(signal) ?? deps.leases.succeed(claim, output);
}

/**
 * An attempt the lease keeper stopped writes nothing, whatever the generator did: its lease is
 * gone, or it may be and the store unreachable; the sweeper puts the run back once it expires.
 */
function stoppedByLease(signal: AbortSignal): 'lease-lost' | 'abandoned' | undefined {
  if (!(signal.reason instanceof RunStoppedError)) return undefined;
  return signal.reason.reason === 'lease-lost' ? 'lease-lost' : 'abandoned';
}

function asGenerationError(error: unknown): GenerationError {
  if (error instanceof GenerationError) return error;
  const failure = error instanceof Error ? error : new Error(String(error));
  return new GenerationError('generator_error', `${failure.name}: ${failure.message}`, true);
}
