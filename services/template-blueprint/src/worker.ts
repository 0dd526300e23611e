// A template-blueprint generator worker process, scaled on its own.
import { boot } from '@delivery/service-kit/boot';
import { workerConfigSchema } from './config.js';

await boot({
  schema: workerConfigSchema,
  name: (config) => `${config.SERVICE_NAME}-worker`,
  // A run still generating after this is recovered by the sweeper once its lease expires.
  drainTimeoutMs: 30_000,
  start: async (config, lifecycle, logger) => {
    const { startWorker } = await import('./worker-runtime.js');
    const { createGenerators } = await import('./generators/index.js');
    const workerLogger = logger.child({ workerId: config.WORKER_ID });
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
            },
          }
        : {},
    );
    await startWorker(config, lifecycle, workerLogger, generators);
  },
});
