import { InFlightLeases, type Lifecycle, type Logger, type Readiness } from '@delivery/service-kit';
import { backoffPolicy, type WorkerConfig } from './config.js';
import { dispatchJobCommand } from './domain/job-commands.js';
import type { JobHandler } from './handlers/handler.js';
import { openJobRunnerRuntime } from './runtime.js';
import { JobLeases } from './store/job-leases.js';
import { processDispatch } from './worker/process-dispatch.js';
import { ABORT_GRACE_MS } from './worker/run-handler.js';

/** After the drain, how long interrupted handlers get to stop and their jobs to be put back. */
const SETTLE_MS = ABORT_GRACE_MS + 3_000;

/**
 * A worker process: takes dispatch messages (at most WORKER_CONCURRENCY at once, the prefetch)
 * and runs the jobs they name. Scaled by running more of these processes. `clock` is the
 * worker's own (tests give it one that runs behind). Returns its readiness (database, broker,
 * its consumer), for the probes.
 */
export async function startWorker(
  config: WorkerConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  handlers: Readonly<Record<string, JobHandler>>,
  clock: () => Date = () => new Date(),
): Promise<Readiness> {
  const consumerDrainMs = config.WORKER_DRAIN_MS + SETTLE_MS;
  const { model, broker, written, readiness } = await openJobRunnerRuntime(
    config,
    lifecycle,
    logger,
    'worker',
    {
      consumerDrainMs,
    },
  );
  const running = new InFlightLeases();
  const deps = {
    leases: new JobLeases(model, backoffPolicy(config), clock, written),
    handlers,
    running,
    logger,
    workerId: config.WORKER_ID,
    leaseMs: config.LEASE_MS,
    heartbeatMs: config.HEARTBEAT_MS,
    clockSkewAllowanceMs: config.CLOCK_SKEW_ALLOWANCE_MS,
    maxResultBytes: config.MAX_RESULT_BYTES,
  };
  await broker.consume({
    queue: dispatchJobCommand.queue,
    messages: [dispatchJobCommand],
    prefetch: config.WORKER_CONCURRENCY,
    handle: (message) => processDispatch(message.payload.jobId, deps),
  });
  // Registered after the runtime, so it runs first on shutdown: consumers stop taking messages
  // (dispatches still delivered are handed back to the scheduler), running jobs get
  // WORKER_DRAIN_MS, and the rest are aborted and, once their handlers stopped, put back QUEUED
  // (and dispatched again) while the database and the outbox relay are still open. Waiting for
  // the lease to expire instead would delay those jobs and charge them an attempt.
  lifecycle.onClose('running jobs', async () => {
    const consumersStopped = broker.stopConsuming({ drainTimeoutMs: consumerDrainMs });
    await running.drain(config.WORKER_DRAIN_MS, SETTLE_MS, logger);
    await consumersStopped;
  });
  logger.info(
    { workerId: config.WORKER_ID, concurrency: config.WORKER_CONCURRENCY },
    'job-runner worker started',
  );
  return readiness;
}
