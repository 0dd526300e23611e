import type { Lifecycle, Logger } from '@delivery/service-kit';
import { backoffPolicy, type WorkerConfig } from './config.js';
import { dispatchJobCommand } from './domain/job-commands.js';
import type { JobHandler } from './handlers/handler.js';
import { openJobRunnerRuntime } from './runtime.js';
import { JobLeases } from './store/job-leases.js';
import { processDispatch } from './worker/process-dispatch.js';

/**
 * A worker process: takes dispatch messages (at most WORKER_CONCURRENCY at once, the prefetch)
 * and runs the jobs they name. Scaled by running more of these processes.
 */
export async function startWorker(
  config: WorkerConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  handlers: Readonly<Record<string, JobHandler>>,
): Promise<void> {
  const { model, broker, written } = await openJobRunnerRuntime(config, lifecycle, logger, 'worker');
  const deps = {
    leases: new JobLeases(model, backoffPolicy(config), () => new Date(), written),
    handlers,
    logger,
    workerId: config.WORKER_ID,
    leaseMs: config.LEASE_MS,
    heartbeatMs: config.HEARTBEAT_MS,
  };
  await broker.consume({
    queue: dispatchJobCommand.queue,
    messages: [dispatchJobCommand],
    prefetch: config.WORKER_CONCURRENCY,
    handle: (message) => processDispatch(message.payload.jobId, deps),
  });
  logger.info(
    { workerId: config.WORKER_ID, concurrency: config.WORKER_CONCURRENCY },
    'job-runner worker started',
  );
}
