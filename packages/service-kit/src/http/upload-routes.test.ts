import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { authHeaders, testKeys } from '@delivery/testing';
import { pino } from 'pino';
import { createIdentityVerifier } from '../identity/verifier.js';
import { createHttpApp } from './create-app.js';
import { Readiness } from './readiness.js';

// What the upload route saw, to prove it ran (or did not) and read the raw bytes itself.
const received: { body: string; parsedBody: unknown }[] = [];

const app = createHttpApp({
  logger: pino({ level: 'silent' }),
  readiness: new Readiness(100),
  limits: { maxBodyBytes: 1024 },
  identity: createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'job-runner' }),
  uploadRoutes: (a) => {
    a.post('/uploads', async (req, res) => {
      const parsedBody = req.body;
      received.push({ body: await text(req), parsedBody });
      res.status(201).json({ bytes: received.at(-1)?.body.length });
    });
  },
  routes: (a) => {
    a.post('/json', (req, res) => {
      res.json({ received: req.body });
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
beforeEach(() => {
  received.length = 0;
});

async function post(path: string, body: string, contentType: string, token?: string | null) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...authHeaders(token), 'content-type': contentType },
    body,
  });
  return { status: res.status, body: await res.json() };
}

describe('createHttpApp uploadRoutes', () => {
  it('hands an upload route the raw body, of any type and past the JSON size limit, unparsed', async () => {
    const bytes = 'x'.repeat(4096);
    expect(await post('/uploads', bytes, 'application/octet-stream')).toEqual({
      status: 201,
      body: { bytes: 4096 },
    });
    expect(received).toEqual([{ body: bytes, parsedBody: undefined }]);
  });

  it('leaves a JSON body to the upload route unparsed too', async () => {
    await post('/uploads', '{"a":1}', 'application/json');
    expect(received).toEqual([{ body: '{"a":1}', parsedBody: undefined }]);
  });

  it('still answers 401 without a token, before the upload route runs', async () => {
    expect(await post('/uploads', 'bytes', 'text/plain', null)).toMatchObject({
      status: 401,
      body: { error: 'unauthenticated' },
    });
    expect(received).toEqual([]);
  });

  it('keeps the JSON guards for every other route', async () => {
    expect(await post('/json', 'bytes', 'text/plain')).toMatchObject({
      status: 415,
      body: { error: 'unsupported_media_type' },
    });
    expect(await post('/json', '{"a":1}', 'application/json')).toEqual({
      status: 200,
      body: { received: { a: 1 } },
    });
    expect(await post('/json', JSON.stringify({ pad: 'x'.repeat(2048) }), 'application/json')).toMatchObject({
      status: 413,
    });
    expect(received).toEqual([]);
  });
});
