import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
}

/** JSON logs on stdout, one line per event, tagged with the service name so aggregated logs stay attributable. */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return pino({
    name,
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service: name, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
