// A job-runner worker process (scaled on its own). Telemetry first, as in main.ts.
import { loadConfig } from '@delivery/service-kit/config';
import { startTelemetry } from '@delivery/service-kit/telemetry';
import { workerConfigSchema } from './config.js';

const config = loadConfig(workerConfigSchema);
const shutdownTelemetry = await startTelemetry({
  serviceName: `${config.SERVICE_NAME}-worker`,
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const { createLogger, runService } = await import('@delivery/service-kit');
const { startWorker } = await import('./worker-runtime.js');
const { createStageHandlers } = await import('./handlers/index.js');
const logger = createLogger(`${config.SERVICE_NAME}-worker`, { level: config.LOG_LEVEL }).child({
  workerId: config.WORKER_ID,
});
await runService({
  name: `${config.SERVICE_NAME}-worker`,
  logger,
  // In-flight jobs get this long to finish on SIGTERM; the rest go back when their lease expires.
  drainTimeoutMs: 30_000,
  start: async (lifecycle) => {
    lifecycle.onClose('telemetry', shutdownTelemetry);
    const handlers = createStageHandlers({ logger, fetchTimeoutMs: config.HTTP_EXECUTOR_TIMEOUT_MS });
    await startWorker(config, lifecycle, logger, handlers);
  },
});
