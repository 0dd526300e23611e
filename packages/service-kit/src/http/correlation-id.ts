import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { PROBE_PATHS, routeOf } from '../metrics/http-metrics.js';

export const CORRELATION_HEADER = 'x-correlation-id';

// Anything else from the outside could forge log lines or bloat every record.
const acceptable = /^[\w.:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    correlationId: string;
    log: Logger;
  }
}

/**
 * Gives each request a correlation id and a child logger that carries it, and logs the outcome:
 * at debug for probes and scrapes, which come every few seconds and say nothing about users.
 */
export function correlationId(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(CORRELATION_HEADER);
    const id = incoming && acceptable.test(incoming) ? incoming : randomUUID();
    req.correlationId = id;
    req.log = logger.child({ correlationId: id });
    res.setHeader(CORRELATION_HEADER, id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = PROBE_PATHS.has(req.path) ? 'debug' : 'info';
      req.log[level](
        { method: req.method, path: req.path, route: routeOf(req, res), status: res.statusCode, ms },
        'request',
      );
    });
    next();
  };
}
