import { register } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { createAddHookMessageChannel } from 'import-in-the-middle';

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL; traces go to `<endpoint>/v1/traces`. Without it nothing is exported. */
  endpoint?: string | undefined;
}

const SHUTDOWN_TIMEOUT_MS = 3000;

export type ShutdownTelemetry = () => Promise<void>;

/**
 * Starts tracing. Instrumentations patch modules as they load, so call this
 * before express, mongoose or the service's own modules are imported (an
 * entry file that starts telemetry, then `await import()`s the rest). Those
 * packages are reached through `import`, which only the ESM loader hook
 * registered here can patch; the CommonJS hook alone sees plain HTTP only.
 * Without an endpoint nothing is started at all: spans that nobody exports
 * would only cost CPU on every request, query and message (measured with
 * `npm run bench:jobs`). Correlation ids flow either way.
 */
export async function startTelemetry({
  serviceName,
  endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
}: TelemetryOptions): Promise<ShutdownTelemetry> {
  if (!endpoint) return async () => undefined;
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const processor: SpanProcessor = new BatchSpanProcessor({
    exporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
    // The standard variable, which this processor does not read by itself (default 5 s).
    ...scheduledDelay(process.env.OTEL_BSP_SCHEDULE_DELAY),
  });
  const sdk = new NodeSDK({
    serviceName,
    spanProcessors: [processor],
    // Traces only: the env defaults would otherwise add OTLP metric and log
    // exporters that retry an absent collector and stall shutdown.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes come every few seconds and say nothing about users: no traces.
        ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)/.test(req.url ?? ''),
      }),
      new ExpressInstrumentation(),
      new MongooseInstrumentation(),
    ],
  });
  sdk.start();
  // The loader runs on its own thread: wait until it knows what to patch.
  await waitForAllMessagesAcknowledged();
  // Losing the last spans beats holding up exit (or failing it) for an absent collector.
  return async () => {
    await Promise.race([
      sdk.shutdown().catch(() => undefined),
      sleep(SHUTDOWN_TIMEOUT_MS, undefined, { ref: false }),
    ]);
  };
}

function scheduledDelay(value: string | undefined): { scheduledDelayMillis?: number } {
  const ms = Number(value);
  return value && Number.isInteger(ms) && ms > 0 ? { scheduledDelayMillis: ms } : {};
}
