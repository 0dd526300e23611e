import { isSpanContextValid, trace } from '@opentelemetry/api';
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
}

/**
 * The active span's ids on every line logged inside it (a request, a message's handling, a job
 * run), so a log line leads to its trace and back. Nothing while tracing is off (no endpoint):
 * there is no span then.
 */
function traceFields(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}

/** JSON logs on stdout, one line per event, tagged with the service name so aggregated logs stay attributable. */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return pino({
    name,
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service: name, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: traceFields,
  });
}
