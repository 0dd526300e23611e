import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineRoute, json } from '@delivery/contracts';
import { authHeaders, testKeys } from '@delivery/testing';
import { Router } from 'express';
import { pino } from 'pino';
import { z } from 'zod';
import { createIdentityVerifier } from '../identity/verifier.js';
import { createHttpApp } from './create-app.js';
import { Readiness } from './readiness.js';
import { serveRoute } from './serve-route.js';

// The response check every test run relies on (CHECK_RESPONSES=1, set by jest's global setup):
// were it to pass everything, no other test would notice.

const thing = defineRoute({
  method: 'GET',
  path: '/things/:kind',
  summary: 'a thing',
  params: z.object({ kind: z.string() }),
  responses: { 200: json('the thing', z.object({ id: z.string() })) },
});

let server: Server;
let base: string;
beforeAll(async () => {
  const app = createHttpApp({
    logger: pino({ level: 'silent' }),
    readiness: new Readiness(),
    identity: createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'job-runner' }),
    routes: (express) => {
      const router = Router();
      serveRoute(router, thing, ({ params }) => {
        if (params.kind === 'off-schema') return { body: { id: 42 } };
        if (params.kind === 'undeclared') return { status: 201, body: { id: 'x' } };
        return { body: { id: 'x' } };
      });
      express.use(router);
    },
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const get = (kind: string) => fetch(`${base}/things/${kind}`, { headers: authHeaders() });

test('the tests run with answers checked against their contract', () => {
  expect(process.env.CHECK_RESPONSES).toBe('1');
});

test('an answer on its contract is sent as it is', async () => {
  const res = await get('fine');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ id: 'x' });
});

test('an answer off its schema, or with a status its contract does not declare, is a 500 naming the violation', async () => {
  for (const kind of ['off-schema', 'undeclared']) {
    const res = await get(kind);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'response_contract_violation' });
  }
});
