import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  deadLetterRoutes,
  defineRoute,
  type HttpMethod,
  multipartBody,
  type RouteContract,
} from '@delivery/contracts/routes';
import { correlationId, errorMapper } from '@delivery/service-kit';
import { testKeys } from '@delivery/testing';
import express from 'express';
import { pino } from 'pino';
import { refuseAmbiguousPaths } from '../src/http/gateway-auth.js';
import { requestId } from '../src/http/request-id.js';
import { IdentityTokens } from '../src/proxy/identity-tokens.js';
import { proxyRoutes } from '../src/proxy/proxy-routes.js';
import { compileRoutingTable } from '../src/proxy/upstream-routes.js';

// The proxy in process against a real upstream HTTP server: what counts against a service's
// breaker (only the service failing), the limits, the headers, and paths read two ways.
// What the gateway logs, kept to check that no credential ever lands in a log line.
const logLines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
let upstream: Server;
let upstreamPort: number;
let seen: { method: string; url: string; headers: Record<string, unknown> }[] = [];
const gateways: Server[] = [];
let base: string;

const route = (method: HttpMethod, path: string, extra: Partial<RouteContract> = {}) =>
  defineRoute({ method, path, summary: path, responses: { 200: 'x' }, ...extra });

/** The routes these tests call, one upstream each as in the real contracts: what they forward is what is tested. */
const routes = compileRoutingTable({
  pipeline: {
    listProjects: route('GET', '/projects'),
    createProject: route('POST', '/projects'),
    sale: route('POST', '/projects/:id/sale'),
    upload: route('POST', '/projects/:id/artifacts', { body: multipartBody('file') }),
    ...deadLetterRoutes,
  },
  hitl: { inbox: route('GET', '/approvals'), ...deadLetterRoutes },
  'job-runner': { listJobs: route('GET', '/jobs'), ...deadLetterRoutes },
  'template-blueprint': {
    listTemplates: route('GET', '/api/templates'),
    createTemplate: route('POST', '/api/templates'),
    ...deadLetterRoutes,
  },
});

/** Requests the upstream holds without answering (`?answer=never`), answered when a test is done. */
const held: ServerResponse[] = [];

function listenUpstream(port = 0): Promise<void> {
  upstream = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      const answer = new URL(req.url ?? '/', 'http://upstream').searchParams.get('answer');
      if (answer === 'never') return void held.push(res);
      if (answer) {
        // The service's own answer about itself, e.g. 503 while its database is down.
        res.writeHead(Number(answer), { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: 'said_by_the_service' }));
      }
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

/** The proxy in an app of its own (its own breakers) in front of the upstream; its base URL. */
function startGateway(): string {
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
      clientBodyTimeoutMs: 1_000,
      bodyLimitBytes: 1_000,
      uploadLimitBytes: 100_000,
      breakerResetMs: 500,
      routes,
      logger,
    }),
  );
  // What the gateway's own routes and its 404 would answer.
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use(errorMapper);
  const server = app.listen(0);
  gateways.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await listenUpstream();
  upstreamPort = (upstream.address() as AddressInfo).port;
  base = startGateway();
});
beforeEach(() => {
  seen = [];
});
afterAll(() => {
  for (const gateway of gateways) gateway.close();
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

test('a path no contract names goes on to the gateway’s own routes, and its 404', async () => {
  for (const path of [
    '/api/projectsx',
    '/api/projects/p1/unknown',
    '/api/keys',
    '/api/dead-letters/nobody',
  ]) {
    expect({ path, status: (await fetch(`${base}${path}`)).status }).toEqual({ path, status: 404 });
  }
  expect(seen).toEqual([]);
});

test('a method the path has not is 405 with the methods it has, and nothing is forwarded', async () => {
  const answer = await fetch(`${base}/api/projects`, { method: 'DELETE' });
  expect(answer.status).toBe(405);
  expect(answer.headers.get('allow')).toBe('GET, HEAD, POST');
  expect(await answer.json()).toMatchObject({ error: 'method_not_allowed', allow: ['GET', 'HEAD', 'POST'] });
  expect((await fetch(`${base}/api/jobs`, { method: 'PUT', body: '{}' })).headers.get('allow')).toBe(
    'GET, HEAD',
  );
  expect(seen).toEqual([]);
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

/** A POST whose body starts and then stops coming, its client still connected: the answer's status, or 0 when closed without one. */
function stalledPost(path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => resolve(0));
    req.on('close', () => resolve(0));
    req.write('{"name": "sta');
  });
}

test('bodies that stop coming are the client’s fault: 408, and the service’s breaker stays closed', async () => {
  const stalled = await Promise.all(Array.from({ length: 10 }, () => stalledPost('/api/templates')));
  expect(stalled).toEqual(Array(10).fill(408));
  const after = await fetch(`${base}/api/templates`);
  expect(after.status).toBe(200);
  expect(await after.json()).toEqual({ ok: true });
});

test('a slow body that keeps coming is not timed against the service, however long it takes', async () => {
  // Past the service's 2 s with the body alone, each piece well within the client's 1 s.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      `${base}/api/templates`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    const pieces = ['{"a":', '"', 'x', 'y', 'z', 'w', 'v', 'u', 'q', 'r', 's', 't', '"}'];
    const next = () => {
      const piece = pieces.shift();
      if (piece === undefined) return void req.end();
      req.write(piece);
      setTimeout(next, 200);
    };
    next();
  });
  expect(status).toBe(200);
});

test('a service answering 503 about itself (its dependency down) is reachable: every request still reaches it', async () => {
  const answers = [];
  for (let i = 0; i < 10; i++) {
    const answer = await fetch(`${base}/api/approvals?answer=503`);
    answers.push({ status: answer.status, body: await answer.json() });
  }
  expect(answers).toEqual(Array(10).fill({ status: 503, body: { error: 'said_by_the_service' } }));
  expect(seen).toHaveLength(10);
  expect((await fetch(`${base}/api/approvals`)).status).toBe(200);
});

test('no answer in time after the body, and 502 or 504 (a proxy in front of the service could not reach it) count against it', async () => {
  const fresh = startGateway();
  const late = await Promise.all(Array.from({ length: 3 }, () => fetch(`${fresh}/api/jobs?answer=never`)));
  expect(late.map((answer) => answer.status)).toEqual([504, 504, 504]);
  expect((await fetch(`${fresh}/api/jobs?answer=502`)).status).toBe(502);
  expect((await fetch(`${fresh}/api/jobs?answer=504`)).status).toBe(504);
  // Five failures out of five: open, and the service is not asked.
  const open = await fetch(`${fresh}/api/jobs`);
  expect({ status: open.status, body: await open.json() }).toMatchObject({
    status: 503,
    body: { error: 'upstream_unavailable', upstream: 'job-runner' },
  });
  expect(seen).toHaveLength(5);
  for (const res of held.splice(0)) res.end();
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
