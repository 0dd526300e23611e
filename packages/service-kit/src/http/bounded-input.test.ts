import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authHeaders, testKeys } from '@delivery/testing';
import { pino } from 'pino';
import { createIdentityVerifier } from '../identity/verifier.js';
import { createHttpApp } from './create-app.js';
import { Readiness } from './readiness.js';

// Routes that take whatever reaches them, as a careless route would: only the app's bounds protect them.
const app = createHttpApp({
  logger: pino({ level: 'silent' }),
  readiness: new Readiness(100),
  identity: createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'job-runner' }),
  routes: (a) => {
    a.post('/echo', (req, res) => {
      res.json({ received: req.body ?? null });
    });
    a.get('/things/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    a.get('/query', (req, res) => {
      res.json({ query: req.query });
    });
  },
});

let server: Server;
let port: number;
beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** node:http rather than fetch: fetch would normalise the raw paths these tests send. */
function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const sent = { ...authHeaders(), ...headers };
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: sent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}
const postJson = (raw: string) => send('POST', '/echo', raw, { 'content-type': 'application/json' });
const nested = (levels: number) => `{"payload":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;

describe('what any route accepts', () => {
  it('refuses a body nested 2,000 levels with 400 naming the limit and the path', async () => {
    const res = await postJson(nested(2_000));
    expect(res).toEqual({
      status: 400,
      body: {
        error: 'body_too_deep',
        message: expect.stringContaining('deeper than 32 levels'),
        details: { limit: 32, path: `payload${'.a'.repeat(31)}` },
      },
    });
  });

  it('refuses 100,000 levels (600 KB of text) the same way, without a stack overflow', async () => {
    expect(await postJson(nested(100_000))).toMatchObject({ status: 400, body: { error: 'body_too_deep' } });
    const arrays = `${'['.repeat(300_000)}${']'.repeat(300_000)}`;
    expect(await postJson(arrays)).toMatchObject({ status: 400, body: { error: 'body_too_deep' } });
  });

  it('refuses long arrays, long strings and keys MongoDB would misread', async () => {
    expect(await postJson(JSON.stringify({ list: new Array(10_001).fill(0) }))).toMatchObject({
      status: 400,
      body: { error: 'body_array_too_long', details: { limit: 10_000, path: 'list' } },
    });
    expect(await postJson(JSON.stringify({ note: 'x'.repeat(100_001) }))).toMatchObject({
      status: 400,
      body: { error: 'body_string_too_long', details: { limit: 100_000, path: 'note' } },
    });
    for (const key of ['$where', 'a.b', '__proto__']) {
      expect(await postJson(`{"payload":{${JSON.stringify(key)}:1}}`)).toMatchObject({
        status: 400,
        body: { error: 'body_key_refused', details: { path: `payload.${key}` } },
      });
    }
  });

  it('passes a body within the bounds through unchanged', async () => {
    const body = { payload: { list: [1, 2, { deep: 'yes' }], note: 'x'.repeat(1_000) } };
    expect(await postJson(JSON.stringify(body))).toEqual({ status: 200, body: { received: body } });
  });

  it('answers 415 to a body that is not JSON, and lets a bodiless POST through', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      expect(await send('POST', '/echo', 'a=1', { 'content-type': type })).toMatchObject({
        status: 415,
        body: { error: 'unsupported_media_type' },
      });
    }
    expect(await send('POST', '/echo', '{}')).toMatchObject({ status: 415 });
    expect(await send('POST', '/echo', undefined, { 'content-length': '0' })).toEqual({
      status: 200,
      body: { received: null },
    });
    const problemJson = { 'content-type': 'application/merge-patch+json' };
    expect(await send('POST', '/echo', '{"a":1}', problemJson)).toEqual({
      status: 200,
      body: { received: { a: 1 } },
    });
  });

  it('answers 400 to a body that does not decompress as its content-encoding says', async () => {
    for (const encoding of ['gzip', 'br', 'deflate']) {
      const headers = { 'content-type': 'application/json', 'content-encoding': encoding };
      expect(await send('POST', '/echo', '{}', headers)).toEqual({
        status: 400,
        body: { error: 'malformed_body' },
      });
    }
    const unknown = { 'content-type': 'application/json', 'content-encoding': 'x-unknown' };
    expect(await send('POST', '/echo', '{}', unknown)).toMatchObject({ status: 415 });
  });

  it('answers 400 to a malformed percent-encoding in the path', async () => {
    expect(await send('GET', '/things/%E0%A4%A')).toMatchObject({
      status: 400,
      body: { error: 'malformed_url' },
    });
    expect(await send('GET', '/things/%')).toMatchObject({ status: 400, body: { error: 'malformed_url' } });
    expect(await send('GET', '/things/a%20b')).toEqual({ status: 200, body: { id: 'a b' } });
  });

  it('keeps query strings flat and bounds how many parameters they have', async () => {
    expect(await send('GET', '/query?a[b][c]=1&x=%E0%A4%A')).toEqual({
      status: 200,
      body: { query: { 'a[b][c]': '1', x: expect.any(String) } },
    });
    // 10,000 parameters within node's 16 KB header limit.
    const many = 'p&'.repeat(5_000);
    expect(await send('GET', `/query?${many}`)).toMatchObject({
      status: 400,
      body: { error: 'query_too_many_params', details: { limit: 100 } },
    });
  });
});
