import type { Logger } from '@delivery/service-kit';
import { GenerationError, type Generator, type GeneratorName } from '../generators/generator.js';
import type { ClaimedRun, RunLeases } from '../store/run-leases.js';

export interface RunWorkerDeps {
  leases: RunLeases;
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
  try {
    const recorded = await generateAndRecord(claim, deps, controller.signal);
    log.info({ recorded }, 'run attempt finished');
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
