import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineRoute, type HttpMethod, multipartBody, type RouteContract } from '@delivery/contracts/routes';
import { correlationId, errorMapper } from '@delivery/service-kit';
import { freePort, testKeys } from '@delivery/testing';
import express from 'express';
import { pino } from 'pino';
import { requestId } from '../src/http/request-id.js';
import { IdentityTokens } from '../src/proxy/identity-tokens.js';
import { proxyRoutes } from '../src/proxy/proxy-routes.js';
import { compileRoutingTable } from '../src/proxy/upstream-routes.js';

// The proxy in front of a service run as several processes (PIPELINE_URL=a,b): real upstream
// servers, one port where nothing listens (a replica that is down), and one server that takes a
// request and drops the connection before answering (a replica dying mid-request).

const logger = pino({ level: 'silent' });
/** What each replica received: its name, the method and path, and a digest of the body. */
let seen: { replica: string; method: string; url: string; body: string }[] = [];
const servers: Server[] = [];

const route = (method: HttpMethod, path: string, extra: Partial<RouteContract> = {}) =>
  defineRoute({ method, path, summary: path, responses: { 200: 'x' }, ...extra });
const routes = compileRoutingTable({
  pipeline: {
    listProjects: route('GET', '/projects'),
    createProject: route('POST', '/projects'),
    upload: route('POST', '/projects/:id/artifacts', { body: multipartBody('file') }),
  },
  hitl: {},
  'job-runner': {},
  'template-blueprint': {},
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function replica(name: string): Promise<string> {
  return listen(
    createServer((req, res) => {
      const hash = createHash('sha256');
      req.on('data', (chunk) => hash.update(chunk));
      req.on('end', () => {
        seen.push({ replica: name, method: req.method ?? '', url: req.url ?? '', body: hash.digest('hex') });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ from: name }));
      });
    }),
  );
}

function droppingReplica(): Promise<string> {
  return listen(
    createServer((req) => {
      seen.push({ replica: 'dropping', method: req.method ?? '', url: req.url ?? '', body: '' });
      req.socket.destroy();
    }),
  );
}

function gateway(baseUrls: string[]): Promise<string> {
  const app = express();
  app.use(correlationId(logger));
  app.use(requestId);
  app.use((req, _res, next) => {
    req.identity = { kind: 'user', id: 'u1', name: 'Una', roles: ['admin'] };
    next();
  });
  app.use(
    proxyRoutes({
      baseUrls: {
        pipeline: baseUrls,
        hitl: baseUrls,
        'job-runner': baseUrls,
        'template-blueprint': baseUrls,
      },
      tokens: new IdentityTokens(JSON.parse(testKeys.signingKeyJson('gateway')), 60),
      timeoutMs: 2_000,
      clientBodyTimeoutMs: 1_000,
      bodyLimitBytes: 10_000,
      uploadLimitBytes: 1_000_000,
      routes,
      logger,
    }),
  );
  app.use(errorMapper);
  return listen(createServer(app));
}

let down: string;
beforeAll(async () => {
  down = `http://127.0.0.1:${await freePort()}`;
});
beforeEach(() => {
  seen = [];
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const digest = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

test('requests a replica refuses go to the next one, bodies and uploads included, each received once', async () => {
  const a = await replica('a');
  const base = await gateway([down, a]);
  const json = JSON.stringify({ name: 'Acme site' });
  const file = Buffer.alloc(200_000, 7);
  for (let call = 0; call < 3; call++) {
    const created = await fetch(`${base}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json,
    });
    expect(created.status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([file], { type: 'application/zip' }), 'site.zip');
    const uploaded = await fetch(`${base}/api/projects/p1/artifacts`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(200);
  }
  expect(seen.filter((request) => request.url === '/projects')).toEqual(
    Array.from({ length: 3 }, () => ({ replica: 'a', method: 'POST', url: '/projects', body: digest(json) })),
  );
  const uploads = seen.filter((request) => request.url === '/projects/p1/artifacts');
  expect(uploads.map((request) => request.replica)).toEqual(['a', 'a', 'a']);
});

test('requests are spread over the replicas that answer', async () => {
  const [a, b] = [await replica('a'), await replica('b')];
  const base = await gateway([a, b]);
  for (let call = 0; call < 4; call++) expect((await fetch(`${base}/api/projects`)).status).toBe(200);
  expect(seen.map((request) => request.replica).sort()).toEqual(['a', 'a', 'b', 'b']);
});

test('a request a replica received is never sent to another, even when it never answered', async () => {
  const [dropping, a] = [await droppingReplica(), await replica('a')];
  const base = await gateway([dropping, a]);
  const created = await fetch(`${base}/api/projects`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(created.status).toBe(503);
  expect(await created.json()).toMatchObject({ error: 'upstream_unavailable', upstream: 'pipeline' });
  expect(seen).toEqual([{ replica: 'dropping', method: 'POST', url: '/projects', body: '' }]);
  // The replica that dropped it is passed over for a while: the next request goes to the other.
  expect((await fetch(`${base}/api/projects`)).status).toBe(200);
  expect(seen.at(-1)).toMatchObject({ replica: 'a', method: 'GET' });
});

test('with every replica down, the service is unavailable (503) as with one URL', async () => {
  const otherDown = `http://127.0.0.1:${await freePort()}`;
  const base = await gateway([down, otherDown]);
  const answer = await fetch(`${base}/api/projects`);
  expect(answer.status).toBe(503);
  expect(await answer.json()).toMatchObject({ error: 'upstream_unavailable', upstream: 'pipeline' });
});
