import type { Server } from 'node:http';
import { JOB_KINDS } from '@delivery/contracts';
import { createHttpApp, type Lifecycle, type Logger } from '@delivery/service-kit';
import { type ApiConfig, backoffPolicy } from './config.js';
import { consumeEnqueueCommands } from './consumers/enqueue-consumer.js';
import { jobRoutes } from './http/job-routes.js';
import { openRuntime } from './shared-runtime.js';
import { JobScheduling } from './store/job-scheduling.js';
import { JobStore } from './store/job-store.js';

const SCHEDULER_BATCH = 500;

/**
 * The API process: HTTP, the enqueue command, and the scheduler (due jobs, expired leases).
 * `kinds` are the job kinds the workers have handlers for; other kinds are refused on enqueue.
 */
export async function startApi(
  config: ApiConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  kinds: readonly string[] = JOB_KINDS,
): Promise<Server> {
  const { model, broker, relay, readiness } = await openRuntime(config, lifecycle, logger, 'api');
  const store = new JobStore(model);
  const kick = () => relay.kick();

  await consumeEnqueueCommands(broker, store, kinds, kick);

  const scheduling = new JobScheduling(model, backoffPolicy(config));
  const scheduler = repeat(
    config.SCHEDULER_INTERVAL_MS,
    async () => {
      const expired = await scheduling.expireLeases(SCHEDULER_BATCH);
      const dispatched = await scheduling.dispatchDue(SCHEDULER_BATCH, config.REDISPATCH_AFTER_MS);
      if (expired > 0) logger.warn({ expired }, 'put back jobs whose lease expired');
      if (expired + dispatched > 0) kick();
    },
    logger,
  );
  lifecycle.onClose('scheduler', () => scheduler.stop());

  const app = createHttpApp({
    logger,
    readiness,
    routes: (express) => express.use(jobRoutes({ store, model, kinds, onOutboxWrite: kick })),
  });
  const server = await lifecycle.listenHttp(app, config.PORT);
  logger.info({ address: server.address() }, 'job-runner api listening');
  return server;
}

/** Runs `task` every `intervalMs`, never two at once; stop() waits for the one in progress. */
function repeat(intervalMs: number, task: () => Promise<void>, logger: Logger) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    running = task()
      .catch((error) => logger.warn({ err: error }, 'scheduler pass failed'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
