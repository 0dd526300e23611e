import type { Logger } from '@delivery/service-kit';
import { GenerationError, type Generator, type GeneratorName } from '../generators/generator.js';
import type { ClaimedRun, RunLeases } from '../store/run-leases.js';
import type { InFlightRuns } from './in-flight-runs.js';

export interface RunWorkerDeps {
  leases: RunLeases;
  inFlight: InFlightRuns;
  generators: Partial<Record<GeneratorName, Generator>>;
  workerId: string;
  leaseMs: number;
  heartbeatMs: number;
  logger: Logger;
}

/**
 * Executes one generate command: claim the run (or skip it if it is not queued and due, e.g. a
 * duplicate command), generate while heartbeating, record the outcome fenced by the lease.
 */
export async function processRun(runId: string, deps: RunWorkerDeps): Promise<void> {
  const claim = await deps.leases.claim(runId, deps.workerId, deps.leaseMs);
  if (!claim) return;
  // Claimed while the worker was already giving its runs back: give this one back too.
  const stopping = deps.inFlight.stopping;
  if (stopping !== undefined) {
    await deps.leases.release(claim, stopping);
    return;
  }
  const log = deps.logger.child({ runId, generator: claim.run.generator, attempt: claim.run.attempt });
  const controller = new AbortController();
  const heartbeat = setInterval(() => {
    deps.leases
      .heartbeat(claim, deps.leaseMs)
      .then((held) => {
        if (!held) controller.abort(new Error('lease lost'));
      })
      .catch((error) => log.warn({ err: error }, 'heartbeat failed'));
  }, deps.heartbeatMs);
  const attempt = generateAndRecord(claim, deps, controller.signal);
  deps.inFlight.track(claim, controller, attempt);
  try {
    log.info({ recorded: await attempt }, 'run attempt finished');
  } finally {
    clearInterval(heartbeat);
  }
}

async function generateAndRecord(claim: ClaimedRun, deps: RunWorkerDeps, signal: AbortSignal) {
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
  try {
    return await deps.leases.succeed(claim, await generator.generate(claim.run.input, signal));
  } catch (error) {
    const failure =
      error instanceof GenerationError
        ? error
        : new GenerationError(
            'generator_error',
            `${(error as Error).name}: ${(error as Error).message}`,
            true,
          );
    return deps.leases.fail(claim, failure);
  }
}
