import type { Request, RequestHandler, Response } from 'express';
import { defineCounter, defineHistogram } from './registry.js';

/** The route label of a request no route took (404s, and refusals before routing such as 401). */
const UNMATCHED_ROUTE = 'unmatched';

/** Paths that only machines ask (probes, the scraper): counted, but logged at debug. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

const requests = defineCounter({
  name: 'delivery_http_requests_total',
  help: 'HTTP requests answered, by method, route (its contract path) and status code',
  labelNames: ['method', 'route', 'status'] as const,
});

const duration = defineHistogram({
  name: 'delivery_http_request_duration_seconds',
  help: 'Time from a request arriving to its answer being sent, by method and route (its contract path)',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

const ROUTE_LABEL = Symbol('delivery.metrics.route');

type Labelled = Response & { [ROUTE_LABEL]?: string };

/**
 * Names the route a response answers, by its contract path (`/projects/:id`), never the URL
 * asked: a label per URL would make a series per project id. serveRoute sets it for every
 * contract route; other handlers (the gateway's proxy, static files) name theirs.
 */
export function labelRoute(res: Response, route: string): void {
  (res as Labelled)[ROUTE_LABEL] = route;
}

/**
 * The route `res` answered, as metrics label it: the one its handler named, else the path of the
 * express route that took it (a route served without a contract), else a probe's path or
 * UNMATCHED_ROUTE.
 */
export function routeOf(req: Request, res: Response): string {
  const named = (res as Labelled)[ROUTE_LABEL];
  if (named !== undefined) return named;
  const path: unknown = req.route?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`;
  return PROBE_PATHS.has(req.path) ? req.path : UNMATCHED_ROUTE;
}

/**
 * Counts and times every request once it is answered, under the route its handler named: when
 * its answer is sent, or when the connection closes before (a client gone, a live-event stream
 * it ended), with the status it had then.
 */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const stop = duration.startTimer();
    let counted = false;
    const count = () => {
      if (counted) return;
      counted = true;
      const route = routeOf(req, res);
      stop({ method: req.method, route });
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
    };
    res.once('finish', count);
    res.once('close', count);
    next();
  };
}
