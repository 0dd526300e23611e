// A job-runner worker process, scaled on its own.
import { boot } from '@delivery/service-kit/boot';
import { IDENTITY, workerConfigSchema } from './config.js';

await boot({
  schema: workerConfigSchema,
  name: (config) => `${config.SERVICE_NAME}-worker`,
  // Bounds the whole shutdown at this plus 10 s: running jobs get WORKER_DRAIN_MS (at most 25 s)
  // to finish, then the rest are interrupted and put back QUEUED within that bound.
  drainTimeoutMs: 30_000,
  start: async (config, lifecycle, logger) => {
    const { listenProbes } = await import('@delivery/service-kit');
    // First, so it closes last: probes and scrapes answer while the worker drains.
    const probes = await listenProbes(lifecycle, { port: config.METRICS_PORT, logger });
    const { startWorker } = await import('./worker-runtime.js');
    const { createStageHandlers } = await import('./handlers/index.js');
    const { egressFromConfig } = await import('@delivery/service-kit/egress');
    const { serviceTokensFromConfig } = await import('@delivery/service-kit/identity');
    const { noCredentials, platformCredentials } = await import('./handlers/shared/platform-services.js');
    const workerLogger = logger.child({ workerId: config.WORKER_ID });
    const platforms = config.PLATFORM_SERVICE_URLS;
    // The config refuses platform services without a signing key.
    const tokens = serviceTokensFromConfig(config, IDENTITY);
    const handlers = createStageHandlers({
      logger: workerLogger,
      fetchTimeoutMs: config.HTTP_EXECUTOR_TIMEOUT_MS,
      egress: egressFromConfig(
        config,
        platforms.map((platform) => platform.url),
      ),
      credentials: tokens ? platformCredentials(platforms, tokens) : noCredentials,
      platforms,
      // Without the platform's services (or their tokens): an http job must not call their internal routes.
      executorEgress: egressFromConfig(config),
    });
    probes.ready(await startWorker(config, lifecycle, workerLogger, handlers));
  },
});
