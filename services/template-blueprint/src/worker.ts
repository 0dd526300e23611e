// A template-blueprint generator worker process, scaled on its own.
import { boot } from '@delivery/service-kit/boot';
import { workerConfigSchema } from './config.js';

await boot({
  schema: workerConfigSchema,
  name: (config) => `${config.SERVICE_NAME}-worker`,
  // Bounds the whole shutdown (plus 10 s): WORKER_DRAIN_MS for running generations, then
  // whatever still runs is given back to the queue (see worker-runtime.ts).
  drainTimeoutMs: 30_000,
  start: async (config, lifecycle, logger) => {
    const { listenProbes } = await import('@delivery/service-kit');
    // First, so it closes last: probes and scrapes answer while the worker drains.
    const probes = await listenProbes(lifecycle, { port: config.METRICS_PORT, logger });
    const { startWorker } = await import('./worker-runtime.js');
    const { createGenerators } = await import('./generators/index.js');
    const { egressFromConfig } = await import('@delivery/service-kit/egress');
    const workerLogger = logger.child({ workerId: config.WORKER_ID });
    // The configured endpoint is allowed as it is; its address is still checked.
    const egress = egressFromConfig(config, config.LLM_BASE_URL ? [config.LLM_BASE_URL] : []);
    const generators = createGenerators(
      config.LLM_BASE_URL
        ? {
            llm: {
              baseUrl: config.LLM_BASE_URL,
              ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
              model: config.LLM_MODEL,
              timeoutMs: config.LLM_TIMEOUT_MS,
              breaker: { resetTimeoutMs: config.LLM_BREAKER_RESET_MS },
              logger: workerLogger,
              egress,
            },
          }
        : {},
    );
    probes.ready(await startWorker(config, lifecycle, workerLogger, generators));
  },
});
