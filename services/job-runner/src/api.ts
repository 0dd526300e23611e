import type { Server } from 'node:http';
import { JOB_KINDS } from '@delivery/contracts';
import { createHttpApp, type Lifecycle, type Logger, repeat } from '@delivery/service-kit';
import { type ApiConfig, backoffPolicy } from './config.js';
import { consumeEnqueueCommands } from './consumers/enqueue-consumer.js';
import { jobRoutes } from './http/job-routes.js';
import { openJobRunnerRuntime } from './runtime.js';
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
  const { model, broker, written, readiness } = await openJobRunnerRuntime(config, lifecycle, logger, 'api');
  const now = () => new Date();
  const store = new JobStore(model, now, written);

  await consumeEnqueueCommands(broker, store, kinds);

  const scheduling = new JobScheduling(model, backoffPolicy(config), now, written);
  const scheduler = repeat(
    'scheduler',
    config.SCHEDULER_INTERVAL_MS,
    async () => {
      const expired = await scheduling.expireLeases(SCHEDULER_BATCH);
      const dispatched = await scheduling.dispatchDue(SCHEDULER_BATCH, config.REDISPATCH_AFTER_MS);
      if (expired.length > 0) logger.warn({ expired: expired.length }, 'put back jobs whose lease expired');
      if (dispatched.length > 0) logger.debug({ dispatched: dispatched.length }, 'dispatched due jobs');
    },
    logger,
  );
  lifecycle.onClose('scheduler', () => scheduler.stop());

  const app = createHttpApp({
    logger,
    readiness,
    routes: (express) => express.use(jobRoutes({ store, model, kinds })),
  });
  const server = await lifecycle.listenHttp(app, config.PORT);
  logger.info({ address: server.address() }, 'job-runner api listening');
  return server;
}
