import { generateBlueprintCommand } from '@delivery/contracts';
import type { Lifecycle, Logger } from '@delivery/service-kit';
import type { WorkerConfig } from './config.js';
import type { Generator, GeneratorName } from './generators/generator.js';
import { openBlueprintRuntime } from './runtime.js';
import { RunLeases } from './store/run-leases.js';
import { processRun } from './worker/process-run.js';

/** A generator worker process: executes `template-blueprint.generate` commands. */
export async function startWorker(
  config: WorkerConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  generators: Partial<Record<GeneratorName, Generator>>,
): Promise<void> {
  const { templates, runs, broker, runWritten } = await openBlueprintRuntime(
    config,
    lifecycle,
    logger,
    'worker',
  );
  const deps = {
    leases: new RunLeases(
      runs,
      templates,
      {
        baseMs: config.RETRY_BASE_MS,
        maxMs: config.RETRY_MAX_MS,
        deferMs: config.DEFER_MS,
        maxDeferrals: config.MAX_DEFERRALS,
      },
      () => new Date(),
      runWritten,
    ),
    generators,
    workerId: config.WORKER_ID,
    leaseMs: config.LEASE_MS,
    heartbeatMs: config.HEARTBEAT_MS,
    logger,
  };
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
}
