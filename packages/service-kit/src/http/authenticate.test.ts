import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authHeaders, serviceToken, testKeys, userToken } from '@delivery/testing';
import { pino } from 'pino';
import { createIdentityVerifier } from '../identity/verifier.js';
import { identityOf, requireRole } from './authenticate.js';
import { createHttpApp } from './create-app.js';
import { Readiness } from './readiness.js';

/** What the routes saw: a route that never ran cannot have changed anything. */
const reached: string[] = [];

const app = createHttpApp({
  logger: pino({ level: 'silent' }),
  readiness: new Readiness(100),
  limits: { maxBodyBytes: 1024 },
  identity: createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'hitl' }),
  routes: (a) => {
    a.get('/me', (req, res) => {
      reached.push('GET /me');
      res.json(identityOf(req));
    });
    a.post('/settings', requireRole('admin', 'operator'), (req, res) => {
      reached.push(`POST /settings ${JSON.stringify(req.body)}`);
      res.json({ saved: true });
    });
  },
});

let server: Server;
let base: string;
beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, init);
  return { status: res.status, body: await res.json(), challenge: res.headers.get('www-authenticate') };
}

const post = (body: string, headers: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

describe('authentication in createHttpApp', () => {
  it('answers the probes without a token', async () => {
    expect((await call('/healthz')).status).toBe(200);
    expect((await call('/readyz')).status).toBe(200);
  });

  it('answers 401 with a Bearer challenge to a missing, foreign-scheme or bad token, unknown routes included', async () => {
    const headers = [
      {},
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer not-a-jwt' },
      { authorization: `Bearer ${userToken({ signedBy: testKeys.untrusted('gateway') })}` },
      { authorization: `Bearer ${userToken({ audience: 'pipeline' })}` },
    ];
    for (const h of headers) {
      for (const path of ['/me', '/nowhere']) {
        expect(await call(path, { headers: h })).toEqual({
          status: 401,
          body: { error: 'unauthenticated', message: expect.any(String) },
          challenge: 'Bearer',
        });
      }
    }
    expect(reached).toEqual([]);
  });

  it('does not read the body of an unauthenticated request: no 400, 413 or 415, and no route', async () => {
    for (const [body, type] of [
      ['{"broken":', 'application/json'],
      [JSON.stringify({ pad: 'x'.repeat(4096) }), 'application/json'],
      ['a=1', 'text/plain'],
    ] as const) {
      expect(await call('/settings', post(body, { 'content-type': type }))).toMatchObject({ status: 401 });
    }
    expect(reached).toEqual([]);
  });

  it('lets a verified caller through to the routes, which see who it is', async () => {
    const token = userToken({ id: 'u-9', name: 'Ann', roles: ['qa_lead'], audience: 'hitl' });
    expect(await call('/me', { headers: authHeaders(token) })).toMatchObject({
      status: 200,
      body: { kind: 'user', id: 'u-9', name: 'Ann', roles: ['qa_lead'] },
    });
    expect((await call('/nowhere', { headers: authHeaders() })).status).toBe(404);
    // The body is parsed and bounded as before, once the caller is known.
    expect(await call('/settings', post('{"broken":', authHeaders()))).toMatchObject({ status: 400 });
  });

  it('answers 403 naming the roles a route needs, without running it', async () => {
    reached.length = 0;
    const manager = authHeaders(userToken({ roles: ['delivery_manager'], audience: 'hitl' }));
    const service = authHeaders(serviceToken('pipeline', 'hitl'));
    for (const headers of [manager, service]) {
      expect(await call('/settings', post('{"limit":1}', headers))).toEqual({
        status: 403,
        body: {
          error: 'forbidden',
          message: 'this needs one of the roles admin, operator',
          details: { requiredRoles: ['admin', 'operator'] },
        },
        challenge: null,
      });
    }
    expect(reached).toEqual([]);
    const operator = authHeaders(userToken({ roles: ['operator'], audience: 'hitl' }));
    expect(await call('/settings', post('{"limit":1}', operator))).toMatchObject({ status: 200 });
    expect(reached).toEqual(['POST /settings {"limit":1}']);
  });
});
