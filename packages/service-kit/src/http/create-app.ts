import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { correlationId } from './correlation-id.js';
import { errorMapper } from './error-mapper.js';
import type { Readiness } from './readiness.js';

export interface HttpAppOptions {
  logger: Logger;
  readiness: Readiness;
  /** Mounts the service's routes between the common middleware and the error mapper. */
  routes?: (app: Express) => void;
  jsonLimit?: string;
}

export function createHttpApp({ logger, readiness, routes, jsonLimit = '1mb' }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(correlationId(logger));
  app.use(express.json({ limit: jsonLimit }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness.evaluate();
    res.status(report.ready ? 200 : 503).json(report);
  });

  routes?.(app);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such route' });
  });
  app.use(errorMapper);
  return app;
}
