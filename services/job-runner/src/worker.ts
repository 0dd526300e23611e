// A job-runner worker process, scaled on its own.
import { boot } from '@delivery/service-kit/boot';
import { workerConfigSchema } from './config.js';

await boot({
  schema: workerConfigSchema,
  name: (config) => `${config.SERVICE_NAME}-worker`,
  // In-flight jobs get this long to finish on SIGTERM; the rest go back when their lease expires.
  drainTimeoutMs: 30_000,
  start: async (config, lifecycle, logger) => {
    const { startWorker } = await import('./worker-runtime.js');
    const { createStageHandlers } = await import('./handlers/index.js');
    const workerLogger = logger.child({ workerId: config.WORKER_ID });
    const handlers = createStageHandlers({
      logger: workerLogger,
      fetchTimeoutMs: config.HTTP_EXECUTOR_TIMEOUT_MS,
      executor: config.HTTP_EXECUTOR_ALLOWED_HOSTS
        ? { allowedHosts: config.HTTP_EXECUTOR_ALLOWED_HOSTS }
        : {},
    });
    await startWorker(config, lifecycle, workerLogger, handlers);
  },
});
