import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Readiness } from '../http/readiness.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { serveMetrics } from './serve-metrics.js';

export interface ProbeServer {
  readonly port: number;
  /** From now on /readyz answers with these checks (until then: 503, `starting`). */
  ready(readiness: Readiness): void;
}

/**
 * What a process without an HTTP API (a worker) serves for its orchestrator and its scraper:
 * /healthz, /readyz and /metrics on `port`, nothing else. Listen before opening the runtime, so
 * it closes last: scrapes and probes keep answering while the worker drains.
 */
export async function listenProbes(
  lifecycle: Lifecycle,
  { port, logger }: { port: number; logger: Logger },
): Promise<ProbeServer> {
  let readiness: Readiness | undefined;
  const server = await lifecycle.listenHttp((req, res) => {
    void answer(req, res, readiness).catch((error: unknown) => {
      logger.error({ err: error, path: req.url }, 'probe failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
    res.once('finish', () =>
      logger.debug({ method: req.method, path: req.url, status: res.statusCode }, 'probe'),
    );
  }, port);
  const address = server.address() as AddressInfo;
  logger.info({ port: address.port }, 'probes and metrics listening');
  return {
    port: address.port,
    ready(given) {
      readiness = given;
    },
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, readiness: Readiness | undefined) {
  const path = new URL(req.url ?? '/', 'http://probe').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (path === '/healthz') {
    json(res, 200, { status: 'ok' });
  } else if (path === '/readyz') {
    const report = readiness ? await readiness.evaluate() : { ready: false, checks: { process: 'starting' } };
    json(res, report.ready ? 200 : 503, report);
  } else if (path === '/metrics') {
    const page = await serveMetrics();
    res.writeHead(200, { 'content-type': page.contentType }).end(page.body);
  } else {
    json(res, 404, { error: 'not_found', message: 'this port serves /healthz, /readyz and /metrics' });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
