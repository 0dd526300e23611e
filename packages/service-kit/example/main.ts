// Entry of the example service: config and telemetry come first, because
// instrumentation only patches express and mongoose if it is running before
// they are imported.
import {
  baseConfigSchema,
  identityConfigCheck,
  identityConfigShape,
  loadConfig,
} from '@delivery/service-kit/config';
import { startTelemetry } from '@delivery/service-kit/telemetry';
import { z } from 'zod';

const config = loadConfig(
  baseConfigSchema
    .omit({ AMQP_URL: true })
    .extend({ SERVICE_NAME: z.string().min(1).default('example'), ...identityConfigShape('example') })
    .superRefine(identityConfigCheck),
);
const shutdownTelemetry = await startTelemetry({
  serviceName: config.SERVICE_NAME,
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const { runExample } = await import('./service.js');
await runExample(config, shutdownTelemetry);
