import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJsonClient } from '../src/breaker/create-breaker.js';
import { HttpError } from '../src/breaker/http-json.js';

type Mode = 'ok' | 'fail' | 'hang' | 'not_found';

describe('createJsonClient against a real HTTP server', () => {
  let mode: Mode = 'ok';
  let hits = 0;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits += 1;
      if (mode === 'hang') return; // never answers; the client must time out
      const status = { ok: 200, fail: 503, not_found: 404 }[mode];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ mode, traceparent: req.headers.traceparent ?? null }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/thing`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });

  const newClient = () =>
    createJsonClient({
      name: 'thing',
      timeoutMs: 200,
      resetTimeoutMs: 500,
      volumeThreshold: 3,
      errorThresholdPercentage: 50,
    });

  async function failures(request: ReturnType<typeof newClient>['request'], n: number) {
    for (let i = 0; i < n; i++) await expect(request(url)).rejects.toThrow();
  }

  it('opens on 5xx, fails fast while open, and closes after resetTimeout', async () => {
    const { request, breaker } = newClient();
    mode = 'fail';
    await failures(request, 3);
    expect(breaker.opened).toBe(true);

    mode = 'ok';
    hits = 0;
    const started = Date.now();
    await expect(request(url)).rejects.toMatchObject({ code: 'EOPENBREAKER' });
    expect(Date.now() - started).toBeLessThan(50);
    expect(hits).toBe(0);

    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(request(url)).resolves.toMatchObject({ mode: 'ok' });
    expect(breaker.closed).toBe(true);
    breaker.shutdown();
  });

  it('opens on timeouts', async () => {
    const { request, breaker } = newClient();
    mode = 'hang';
    const started = Date.now();
    await failures(request, 3);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(breaker.opened).toBe(true);
    expect(breaker.stats.timeouts).toBe(3);
    breaker.shutdown();
  });

  it('passes 4xx to the caller without opening', async () => {
    const { request, breaker } = newClient();
    mode = 'not_found';
    for (let i = 0; i < 5; i++) {
      const err = await request(url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect(err).toMatchObject({ status: 404, body: { mode: 'not_found' } });
    }
    expect(breaker.closed).toBe(true);
    breaker.shutdown();
  });
});
