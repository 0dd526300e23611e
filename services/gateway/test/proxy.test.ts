import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { correlationId, errorMapper } from '@delivery/service-kit';
import { testKeys } from '@delivery/testing';
import express from 'express';
import { pino } from 'pino';
import { refuseAmbiguousPaths } from '../src/http/gateway-auth.js';
import { requestId } from '../src/http/request-id.js';
import { IdentityTokens } from '../src/proxy/identity-tokens.js';
import { proxyRoutes } from '../src/proxy/proxy-routes.js';

// The proxy in process against a real upstream HTTP server: what counts against a service's
// breaker (only the service failing), the limits, the headers, and paths read two ways.
// What the gateway logs, kept to check that no credential ever lands in a log line.
const logLines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
let upstream: Server;
let upstreamPort: number;
let seen: { method: string; url: string; headers: Record<string, unknown> }[] = [];
let gateway: Server;
let base: string;

function listenUpstream(port = 0): Promise<void> {
  upstream = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json',
        connection: 'x-hop',
        'x-hop': 'no',
        'x-kept': 'yes',
      });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  return new Promise((resolve) => upstream.listen(port, '127.0.0.1', () => resolve()));
}

beforeAll(async () => {
  await listenUpstream();
  upstreamPort = (upstream.address() as AddressInfo).port;
  const target = `http://127.0.0.1:${upstreamPort}`;
  const app = express();
  app.use(correlationId(logger));
  app.use(refuseAmbiguousPaths);
  app.use(requestId);
  app.use((req, _res, next) => {
    req.identity = { kind: 'user', id: 'u1', name: 'Una', roles: ['admin'] };
    next();
  });
  app.use(
    proxyRoutes({
      baseUrls: { pipeline: target, hitl: target, 'job-runner': target, 'template-blueprint': target },
      tokens: new IdentityTokens(JSON.parse(testKeys.signingKeyJson('gateway')), 60),
      timeoutMs: 2_000,
      bodyLimitBytes: 1_000,
      uploadLimitBytes: 100_000,
      breakerResetMs: 500,
      logger,
    }),
  );
  app.use(errorMapper);
  gateway = app.listen(0);
  base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});
beforeEach(() => {
  seen = [];
});
afterAll(() => {
  gateway.close();
  upstream.close();
});

/** A body sent in chunks without content-length, as a streaming client does. */
function chunkedPost(path: string, bytes: number, contentType = 'application/json'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: 'POST', headers: { 'content-type': contentType } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    const chunk = Buffer.alloc(500, 0x20);
    for (let sent = 0; sent < bytes; sent += chunk.length) req.write(chunk);
    req.end();
    req.on('timeout', reject);
  });
}

test('forwards with a signed token and the ids, and passes back no hop-by-hop header', async () => {
  const answer = await fetch(`${base}/api/jobs?status=FAILED`, {
    headers: { cookie: 'sid=secret', 'x-request-id': 'r-1' },
  });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('x-kept')).toBe('yes');
  expect(answer.headers.get('x-hop')).toBeNull();
  expect(seen).toEqual([
    expect.objectContaining({
      method: 'GET',
      url: '/jobs?status=FAILED',
      headers: expect.objectContaining({
        authorization: expect.stringMatching(/^Bearer ey/),
        'x-request-id': 'r-1',
      }),
    }),
  ]);
  expect(seen[0]?.headers.cookie).toBeUndefined();
  // The access log has the request, with its ids, and none of the credentials.
  const access = logLines
    .map((line) => JSON.parse(line))
    .find((entry) => entry.msg === 'request' && entry.path === '/api/jobs');
  expect(access).toMatchObject({
    method: 'GET',
    status: 200,
    requestId: 'r-1',
    correlationId: expect.any(String),
  });
  const forwardedToken = String(seen[0]?.headers.authorization).slice('Bearer '.length);
  expect(logLines.join('\n')).not.toContain('secret');
  expect(logLines.join('\n')).not.toContain(forwardedToken);
});

test('bodies past the limit, with or without content-length, are 413 and never open the breaker', async () => {
  for (let i = 0; i < 8; i++) expect(await chunkedPost('/api/projects', 3_000)).toBe(413);
  // Calling any body multipart does not buy the upload limit outside the upload routes.
  expect(await chunkedPost('/api/projects/p1/sale', 3_000, 'multipart/form-data; boundary=x')).toBe(413);
  expect(await chunkedPost('/api/projects/p1/artifacts', 3_000, 'multipart/form-data; boundary=x')).toBe(200);
  expect((await fetch(`${base}/api/projects`)).status).toBe(200);
});

test('clients that go away mid-body do not count against the service', async () => {
  for (let i = 0; i < 8; i++) {
    await new Promise<void>((resolve) => {
      const req = request(`${base}/api/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      req.on('error', () => resolve());
      req.write('{"name": "half');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
  }
  expect((await fetch(`${base}/api/projects`)).status).toBe(200);
});

test('paths that could be read two ways are refused before anything forwards them', async () => {
  for (const path of [
    '/api/projects/..%2F..%2Fjobs',
    '/api/projects/../jobs',
    '//api/jobs',
    '/api/projects/%2e%2e/jobs',
  ]) {
    const answer = await new Promise<number>((resolve) => {
      // Raw: a URL string would have its dot segments resolved before it is sent.
      request({ host: '127.0.0.1', port: new URL(base).port, path }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).end();
    });
    expect({ path, status: answer }).toEqual({ path, status: 400 });
  }
  expect(seen).toEqual([]);
});

test('a service that stops answering opens its breaker; once back, a trial request closes it again', async () => {
  await new Promise((resolve) => upstream.close(resolve));
  const down = [];
  for (let i = 0; i < 6; i++) down.push((await fetch(`${base}/api/jobs`)).status);
  expect(down).toEqual([503, 503, 503, 503, 503, 503]);
  await listenUpstream(upstreamPort);
  // Open: refused at once, without reaching the service.
  expect((await fetch(`${base}/api/jobs`)).status).toBe(503);
  expect(seen).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect((await fetch(`${base}/api/jobs`)).status).toBe(200);
  expect((await fetch(`${base}/api/jobs`)).status).toBe(200);
});
