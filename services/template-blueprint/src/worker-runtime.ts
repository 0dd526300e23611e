import { generateBlueprintCommand } from '@delivery/contracts';
import { InFlightLeases, type Lifecycle, type Logger, type Readiness } from '@delivery/service-kit';
import type { WorkerConfig } from './config.js';
import type { Generator, GeneratorName } from './generators/generator.js';
import { openBlueprintRuntime } from './runtime.js';
import { RunLeases } from './store/run-leases.js';
import { processRun } from './worker/process-run.js';

/** After the drain, how long the runs still generating get to be given back and their generators to stop. */
const GIVE_BACK_WAIT_MS = 5_000;

/**
 * A generator worker process: executes `template-blueprint.generate` commands. `clock` is this
 * process's idea of now (tests give one that runs behind the API's). Returns its readiness
 * (database, broker, its consumer), for the probes.
 */
export async function startWorker(
  config: WorkerConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  generators: Partial<Record<GeneratorName, Generator>>,
  clock: () => Date = () => new Date(),
): Promise<Readiness> {
  const { runs, broker, runWritten, readiness } = await openBlueprintRuntime(
    config,
    lifecycle,
    logger,
    'worker',
  );
  const leases = new RunLeases(
    runs,
    {
      clockSkewAllowanceMs: config.CLOCK_SKEW_ALLOWANCE_MS,
      baseMs: config.RETRY_BASE_MS,
      maxMs: config.RETRY_MAX_MS,
      deferMs: config.DEFER_MS,
      maxDeferrals: config.MAX_DEFERRALS,
    },
    clock,
    runWritten,
  );
  const inFlight = new InFlightLeases();
  const deps = {
    leases,
    inFlight,
    shutdownReason: `worker ${config.WORKER_ID} shut down during the generation; the attempt does not count`,
    generators,
    workerId: config.WORKER_ID,
    leaseMs: config.LEASE_MS,
    heartbeatMs: config.HEARTBEAT_MS,
    logger,
  };
  // Registered after the runtime, so it runs before the runtime's own closers: consumers stop
  // and drain here, what is still generating is given back, and only then do the relays publish
  // (the re-sent commands among it) and the connections close.
  lifecycle.onClose('generations', async () => {
    await broker.stopConsuming({ drainTimeoutMs: config.WORKER_DRAIN_MS });
    await inFlight.drain(0, GIVE_BACK_WAIT_MS, logger);
  });
  await broker.consume({
    queue: generateBlueprintCommand.queue,
    messages: [generateBlueprintCommand],
    prefetch: config.WORKER_CONCURRENCY,
    handle: (command) => processRun(command.payload.runId, deps),
  });
  logger.info(
    { workerId: config.WORKER_ID, generators: Object.keys(generators) },
    'template-blueprint worker started',
  );
  return readiness;
}
