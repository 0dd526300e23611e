import type { Server } from 'node:http';
import {
  createHttpApp,
  deadLetterRoutes,
  identityVerifierFromConfig,
  type Lifecycle,
  type Logger,
  repeat,
  startRetentionSweeps,
} from '@delivery/service-kit';
import { inputLimits } from '@delivery/service-kit/config';
import { type ApiConfig, backoffPolicy } from './config.js';
import { consumeEnqueueCommands } from './consumers/enqueue-consumer.js';
import { consumeProjectEvents } from './consumers/project-events-consumer.js';
import type { JobKinds } from './handlers/handler.js';
import { jobKinds } from './handlers/job-kinds.js';
import { jobRoutes } from './http/job-routes.js';
import { watchJobs } from './job-metrics.js';
import { openJobRunnerRuntime } from './runtime.js';
import { EnqueueRefusals } from './store/enqueue-refusals.js';
import { JobScheduling } from './store/job-scheduling.js';
import { JobStore } from './store/job-store.js';
import { jobRetention } from './store/retention.js';

const SCHEDULER_BATCH = 500;

/**
 * The API process: HTTP, the enqueue command, and the scheduler (due jobs, expired leases).
 * `kinds` declares the job kinds the workers have handlers for (payload, resume input, secrets);
 * other kinds are refused on enqueue.
 */
export async function startApi(
  config: ApiConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  kinds: JobKinds = jobKinds,
): Promise<Server> {
  const { model, broker, written, refusals, refusalWritten, readiness, deadLetters } =
    await openJobRunnerRuntime(config, lifecycle, logger, 'api');
  const now = () => new Date();
  const store = new JobStore(model, now, written, kinds);
  lifecycle.onClose('job metrics', watchJobs(model, Object.keys(kinds), now));

  await consumeEnqueueCommands(
    broker,
    store,
    new EnqueueRefusals(refusals, now, refusalWritten),
    inputLimits(config),
  );

  await consumeProjectEvents(broker, store, logger);

  const scheduling = new JobScheduling(
    model,
    backoffPolicy(config),
    now,
    written,
    config.CLOCK_SKEW_ALLOWANCE_MS,
  );
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

  const retention = startRetentionSweeps(
    jobRetention(model, config.JOB_RETENTION_DAYS),
    config.RETENTION_SWEEP_INTERVAL_MS,
    logger,
    now,
  );
  lifecycle.onClose('retention sweep', () => retention.stop());

  const app = createHttpApp({
    logger,
    readiness,
    limits: inputLimits(config),
    identity: identityVerifierFromConfig(config),
    routes: (express) => {
      express.use(jobRoutes({ store, model }));
      express.use(deadLetterRoutes(deadLetters));
    },
  });
  const server = await lifecycle.listenHttp(app, config.PORT);
  logger.info({ address: server.address() }, 'job-runner api listening');
  return server;
}
