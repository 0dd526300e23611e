// The job-runner API process. Telemetry starts before express and mongoose are imported, so
// their instrumentation can patch them; everything else is imported after it.
import { loadConfig } from '@delivery/service-kit/config';
import { startTelemetry } from '@delivery/service-kit/telemetry';
import { apiConfigSchema } from './config.js';

const config = loadConfig(apiConfigSchema);
const shutdownTelemetry = await startTelemetry({
  serviceName: config.SERVICE_NAME,
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const { createLogger, runService } = await import('@delivery/service-kit');
const { startApi } = await import('./api.js');
const logger = createLogger(config.SERVICE_NAME, { level: config.LOG_LEVEL });
await runService({
  name: config.SERVICE_NAME,
  logger,
  start: async (lifecycle) => {
    lifecycle.onClose('telemetry', shutdownTelemetry);
    await startApi(config, lifecycle, logger);
  },
});
