import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineRoute, json } from '@delivery/contracts';
import { authHeaders, testKeys } from '@delivery/testing';
import { Router } from 'express';
import { pino } from 'pino';
import { z } from 'zod';
import { createBreaker } from '../breaker/create-breaker.js';
import { createHttpApp } from '../http/create-app.js';
import { NotReadyError, Readiness } from '../http/readiness.js';
import { serveRoute } from '../http/serve-route.js';
import { createIdentityVerifier } from '../identity/verifier.js';
import { Lifecycle } from '../lifecycle/lifecycle.js';
import { listenProbes } from './probe-server.js';
import { exportedMetricNames } from './registry.js';
import { cachedRead, scrapedGauge } from './scraped-gauge.js';

const logger = pino({ level: 'silent' });

const thing = defineRoute({
  method: 'GET',
  path: '/things/:id',
  summary: 'a thing',
  params: z.object({ id: z.string() }),
  responses: { 200: json('the thing', z.object({ id: z.string() })) },
});

let server: Server;
let base: string;
beforeAll(async () => {
  const app = createHttpApp({
    logger,
    readiness: new Readiness(),
    identity: createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'job-runner' }),
    routes: (express) => {
      const router = Router();
      serveRoute(router, thing, ({ params }) => ({ body: { id: params.id } }));
      express.use(router);
    },
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const scrape = async (url = `${base}/metrics`) => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};

/** The value of one series on a page, or undefined when the page lacks it. */
function sampleOf(page: string, series: string): number | undefined {
  const line = page.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('requests are counted by their contract path, never the URL asked, and what no route took by a fixed label', async () => {
  for (const id of ['a1', 'b2'])
    expect((await fetch(`${base}/things/${id}`, { headers: authHeaders() })).status).toBe(200);
  expect((await fetch(`${base}/nowhere/x1`, { headers: authHeaders() })).status).toBe(404);
  expect((await fetch(`${base}/things/a1`)).status).toBe(401);

  const page = await scrape();
  expect(sampleOf(page, 'delivery_http_requests_total{method="GET",route="/things/:id",status="200"}')).toBe(
    2,
  );
  expect(sampleOf(page, 'delivery_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
  expect(sampleOf(page, 'delivery_http_requests_total{method="GET",route="unmatched",status="401"}')).toBe(1);
  expect(
    sampleOf(page, 'delivery_http_request_duration_seconds_count{method="GET",route="/things/:id"}'),
  ).toBe(2);
  expect(page).not.toMatch(/a1|b2|nowhere/);
  // The process's own: CPU, memory, the event loop's lag.
  for (const name of [
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_seconds',
  ]) {
    expect(page).toContain(`# TYPE ${name} `);
  }
});

test('the page is for the scraper: a request that came through a proxy is refused it', async () => {
  const proxied = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
  expect(proxied.status).toBe(404);
  expect(await proxied.text()).not.toContain('delivery_');
});

test('a breaker shows its state by name: closed, then open', async () => {
  const breaker = createBreaker(async () => 'ok', { name: 'upstream metrics-test', timeoutMs: 1_000 });
  const series = 'delivery_breaker_state{breaker="upstream metrics-test"}';
  expect(sampleOf(await scrape(), series)).toBe(0);
  breaker.open();
  expect(sampleOf(await scrape(), series)).toBe(2);
  breaker.shutdown();
  expect(sampleOf(await scrape(), series)).toBeUndefined();
});

test('a scraped gauge reads its sources when scraped, reuses a read for its ttl, and shows nothing of a failed one', async () => {
  const gauge = scrapedGauge({ name: 'delivery_test_things', help: 'things', labelNames: ['kind'] as const });
  let reads = 0;
  const read = cachedRead(
    async () => {
      reads += 1;
      return reads;
    },
    { ttlMs: 60_000 },
  );
  const removeGood = gauge.addSource(async () => [{ labels: { kind: 'good' }, value: await read() }]);
  const removeBad = gauge.addSource(async () => {
    throw new Error('store down');
  });
  expect(reads).toBe(0); // nothing runs until a scrape
  const first = await scrape();
  const second = await scrape();
  expect(sampleOf(first, 'delivery_test_things{kind="good"}')).toBe(1);
  expect(sampleOf(second, 'delivery_test_things{kind="good"}')).toBe(1);
  expect(reads).toBe(1);
  removeGood();
  removeBad();
  expect(sampleOf(await scrape(), 'delivery_test_things{kind="good"}')).toBeUndefined();
  expect(exportedMetricNames()).toContain('delivery_test_things');
});

test('cachedRead fails a read that hangs, and reuses the failure for its ttl', async () => {
  let calls = 0;
  const read = cachedRead(
    () => {
      calls += 1;
      return new Promise<number>(() => {});
    },
    { ttlMs: 60_000, timeoutMs: 50 },
  );
  await expect(read()).rejects.toThrow(/more than 50 ms/);
  await expect(read()).rejects.toThrow(/more than 50 ms/);
  expect(calls).toBe(1);
});

test("a worker's probe port: not ready while starting, then its readiness; metrics; closed by the lifecycle", async () => {
  const exits: number[] = [];
  const lifecycle = new Lifecycle({ logger, exit: (code) => exits.push(code) });
  const probes = await listenProbes(lifecycle, { port: 0, logger });
  const url = `http://127.0.0.1:${probes.port}`;
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const starting = await fetch(`${url}/readyz`);
  expect(starting.status).toBe(503);
  expect(await starting.json()).toEqual({ ready: false, checks: { process: 'starting' } });

  const readiness = new Readiness(100);
  let up = true;
  readiness.register('broker', async () => {
    if (!up) throw new NotReadyError('broker_disconnected');
  });
  probes.ready(readiness);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  up = false;
  const down = await fetch(`${url}/readyz`);
  expect(down.status).toBe(503);
  expect(await down.json()).toEqual({ ready: false, checks: { broker: 'broker_disconnected' } });

  expect(await scrape(`${url}/metrics`)).toContain('# TYPE process_cpu_seconds_total counter');
  expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
  expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);

  await lifecycle.shutdown('test');
  expect(exits).toEqual([0]);
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
});
