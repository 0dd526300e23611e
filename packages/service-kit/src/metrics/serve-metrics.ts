import type { RequestHandler } from 'express';
import { METRICS_CONTENT_TYPE, metricsRegistry } from './registry.js';

/** The /metrics page: every metric of the process, in Prometheus' text format. */
export async function serveMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: METRICS_CONTENT_TYPE, body: await metricsRegistry.metrics() };
}

/**
 * /metrics for an API process. It answers without a token, as the probes do: the scraper holds
 * none, and the page holds no secret (route patterns, queue and breaker names, counts). It is
 * for the scraper, which reaches each pod directly, though: a request that came through a proxy
 * (an Ingress or a load balancer, which add X-Forwarded-For) is answered 404, so the public
 * gateway does not show its internals to the internet.
 */
export function metricsRoute(): RequestHandler {
  return async (req, res, next) => {
    if (req.get('x-forwarded-for') !== undefined || req.get('forwarded') !== undefined) {
      res.status(404).json({ error: 'not_found', message: 'no such route' });
      return;
    }
    try {
      const page = await serveMetrics();
      res.type(page.contentType).send(page.body);
    } catch (error) {
      next(error);
    }
  };
}
