import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authHeaders, testKeys } from '@delivery/testing';
import { pino } from 'pino';
import { z } from 'zod';
import { createIdentityVerifier } from '../identity/verifier.js';
import { createHttpApp } from './create-app.js';
import { ConflictError, NotFoundError, UnprocessableError } from './errors.js';
import { NotReadyError, Readiness } from './readiness.js';

const logged: unknown[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
const readiness = new Readiness(100);
let healthy = true;
readiness.register('flag', async () => {
  if (!healthy) throw new NotReadyError('flag_down', { cause: new Error('db.internal:27017 refused') });
});
readiness.register('raw', async () => {
  if (!healthy) throw new Error('password=hunter2 rejected');
});
readiness.register('hang', () => new Promise(() => {}).then(() => undefined));

const body = z.object({ order: z.object({ items: z.array(z.object({ qty: z.number().int() })) }) });

const app = createHttpApp({
  logger,
  readiness,
  limits: { maxBodyBytes: 1024 },
  identity: createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'job-runner' }),
  routes: (a) => {
    a.post('/orders', (req, res) => {
      res.json(body.parse(req.body));
    });
    a.get('/missing', () => {
      throw new NotFoundError('project p1 not found');
    });
    a.get('/conflict', () => {
      throw new ConflictError('stage already running', { currentState: 'running' });
    });
    a.get('/unprocessable', async () => {
      throw new UnprocessableError('required artifacts missing');
    });
    a.get('/bug', () => {
      throw new TypeError('cannot read x of undefined');
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
  const res = await fetch(`${base}${path}`, { ...init, headers: { ...authHeaders(), ...init.headers } });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const post = (raw: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: raw,
});

describe('createHttpApp', () => {
  it('answers /healthz and echoes or generates a correlation id', async () => {
    const echoed = await call('/healthz', { headers: { 'x-correlation-id': 'abc-123' } });
    expect(echoed).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(echoed.headers.get('x-correlation-id')).toBe('abc-123');
    const generated = await call('/healthz', { headers: { 'x-correlation-id': 'bad id\twith spaces' } });
    expect(generated.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports /readyz failures by name with reason codes only, bounding hung checks', async () => {
    healthy = false;
    const down = await call('/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      ready: false,
      checks: { flag: 'flag_down', raw: 'failed', hang: 'timeout' },
    });
    expect(JSON.stringify(down.body)).not.toMatch(/db\.internal|hunter2/);
  });

  it('maps zod errors to 400 with dotted paths, including nested ones', async () => {
    const res = await call('/orders', post(JSON.stringify({ order: { items: [{ qty: 1 }, { qty: 'x' }] } })));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'validation_failed',
      issues: [{ path: 'order.items.1.qty', message: expect.any(String) }],
    });
  });

  it('maps malformed JSON to 400 and an oversized body to 413', async () => {
    expect(await call('/orders', post('{"order":'))).toMatchObject({
      status: 400,
      body: { error: 'malformed_json' },
    });
    const big = JSON.stringify({ pad: 'x'.repeat(2048) });
    expect(await call('/orders', post(big))).toMatchObject({
      status: 413,
      body: { error: 'payload_too_large' },
    });
  });

  it('maps domain errors to 404, 409 with details and 422', async () => {
    expect(await call('/missing')).toEqual(
      expect.objectContaining({ status: 404, body: { error: 'not_found', message: 'project p1 not found' } }),
    );
    expect((await call('/conflict')).body).toEqual({
      error: 'conflict',
      message: 'stage already running',
      details: { currentState: 'running' },
    });
    expect((await call('/conflict')).status).toBe(409);
    expect(await call('/unprocessable')).toMatchObject({ status: 422, body: { error: 'unprocessable' } });
    expect(await call('/nowhere')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('answers anything else with a bare 500 and logs the error instead', async () => {
    const res = await call('/bug');
    expect(res).toMatchObject({ status: 500, body: { error: 'internal' } });
    expect(JSON.stringify(res.body)).not.toMatch(/TypeError|at /);
    expect(logged).toContainEqual(
      expect.objectContaining({
        msg: 'unhandled error',
        err: expect.objectContaining({ type: 'TypeError' }),
      }),
    );
  });
});
