/**
 * Entry point helper for service processes (`@delivery/service-kit/boot`). Order matters and is
 * the reason this exists: config is parsed first (a bad variable stops the process before
 * anything opens), telemetry starts next, and only then is the rest of service-kit (express,
 * mongoose) imported, so instrumentation can patch those modules as they load. The service's
 * own code must likewise be imported inside `start`.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { BaseConfig } from './config/base-schema.js';
import { loadConfig } from './config/load-config.js';
import type { Lifecycle } from './lifecycle/lifecycle.js';
import { startTelemetry } from './telemetry/start-telemetry.js';

type BootConfig = Pick<BaseConfig, 'LOG_LEVEL'> & { OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined };

export interface BootOptions<S extends z.ZodObject> {
  schema: S;
  /** The process's name in logs and traces (e.g. `job-runner-worker`). */
  name: (config: z.infer<S>) => string;
  /** How long in-flight work gets on SIGTERM. */
  drainTimeoutMs?: number;
  start: (config: z.infer<S>, lifecycle: Lifecycle, logger: Logger) => Promise<void>;
}

export async function boot<S extends z.ZodObject>(options: BootOptions<S>): Promise<void> {
  const config = loadConfig(options.schema) as z.infer<S> & BootConfig;
  const name = options.name(config);
  const shutdownTelemetry = await startTelemetry({
    serviceName: name,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const { createLogger, nameProcess, runService } = await import('./index.js');
  const logger = createLogger(name, { level: config.LOG_LEVEL });
  nameProcess(name);
  await runService({
    name,
    logger,
    ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
    start: async (lifecycle) => {
      lifecycle.onClose('telemetry', shutdownTelemetry);
      await options.start(config, lifecycle, logger);
    },
  });
}
