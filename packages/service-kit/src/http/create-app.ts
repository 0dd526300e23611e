import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { IdentityVerifier } from '../identity/verifier.js';
import { httpMetrics } from '../metrics/http-metrics.js';
import { metricsRoute } from '../metrics/serve-metrics.js';
import { authenticate } from './authenticate.js';
import { correlationId } from './correlation-id.js';
import { errorMapper } from './error-mapper.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-limits.js';
import type { Readiness } from './readiness.js';
import { boundBody, boundQuery, JSON_TYPES, requireJsonBody } from './request-guards.js';

export interface HttpAppOptions {
  logger: Logger;
  readiness: Readiness;
  /**
   * How every route but /healthz, /readyz and /metrics learns its caller: a service verifies the token
   * (`identityVerifierFromConfig`); the gateway, which signs those tokens, brings its own
   * middleware (sessions and API keys), which must set `req.identity` or refuse.
   */
  identity: IdentityVerifier | { authenticate: RequestHandler };
  /** Mounted before everything but the correlation id (security headers, CORS). */
  prelude?: (app: Express) => void;
  /** Mounts the service's routes between the common middleware and the error mapper. */
  routes?: (app: Express) => void;
  /**
   * Mounts routes that read their own request body as a stream (multipart uploads): after
   * authentication and the query bound, before the JSON guards, which would refuse or buffer it.
   * A request none of them answers goes on to the JSON guards and `routes`.
   */
  uploadRoutes?: (app: Express) => void;
  /** What any route accepts at most (see `inputLimits(config)`); defaults for what is not given. */
  limits?: Partial<InputLimits>;
}

export function createHttpApp({
  logger,
  readiness,
  identity,
  prelude,
  routes,
  uploadRoutes,
  limits: given,
}: HttpAppOptions): Express {
  const limits = { ...DEFAULT_INPUT_LIMITS, ...given };
  const app = express();
  app.disable('x-powered-by');
  // Flat `key=value` pairs only: the 'extended' parser (qs) would build nested objects from `a[b][c]`.
  app.set('query parser', 'simple');
  app.use(httpMetrics());
  app.use(correlationId(logger));
  prelude?.(app);

  // Probes and metrics answer anyone: the kubelet, load balancers and the scraper hold no token.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness.evaluate();
    res.status(report.ready ? 200 : 503).json(report);
  });
  app.get('/metrics', metricsRoute());

  // Everything else, unknown routes included, needs a verified identity, before any input is read.
  app.use('authenticate' in identity ? identity.authenticate : authenticate(identity));
  app.use(boundQuery(limits));
  uploadRoutes?.(app);
  app.use(requireJsonBody);
  app.use(express.json({ limit: limits.maxBodyBytes, type: JSON_TYPES }));
  app.use(boundBody(limits));

  routes?.(app);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such route' });
  });
  app.use(errorMapper);
  return app;
}
