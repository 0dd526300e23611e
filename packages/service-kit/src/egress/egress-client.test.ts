import type { ServerResponse } from 'node:http';
import { sendJson, startTestServer, type TestServer } from '@delivery/testing';
import { HttpError } from '../breaker/http-json.js';
import { createEgressClient, type EgressClient } from './egress-client.js';
import { EgressRefusedError, ResponseTooLargeError } from './egress-errors.js';
import { createEgressPolicy, type EgressPolicyInput } from './egress-policy.js';

const TEN_MB = 10 * 1024 * 1024;
let target: TestServer;
let redirector: TestServer;
const clients: EgressClient[] = [];
/** How the 10 MB answer ended on the server's side: finished (all sent) or cut off by the client. */
let hugeEnded: Promise<'finished' | 'cut off'> | undefined;

function sendHuge(res: ServerResponse): void {
  hugeEnded = new Promise((resolve) => {
    res.on('close', () => resolve(res.writableFinished ? 'finished' : 'cut off'));
  });
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < TEN_MB) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

beforeAll(async () => {
  target = await startTestServer((req, res) => {
    if (req.path.split('?')[0] === '/huge') return sendHuge(res);
    if (req.path === '/huge-error') {
      res.writeHead(500);
      return void res.end(Buffer.alloc(2 * 1024 * 1024, 0x61));
    }
    if (req.path.startsWith('/fail')) return sendJson(res, 500, { error: 'boom' });
    sendJson(res, 200, {
      path: req.path,
      method: req.method,
      auth: req.headers.authorization ?? null,
      apiKey: req.headers['x-api-key'] ?? null,
      contentType: req.headers['content-type'] ?? null,
      body: req.body,
    });
  });
  redirector = await startTestServer((req, res) => {
    const to: Record<string, string> = {
      '/to-target': `${target.url}/landed`,
      '/to-metadata': 'http://169.254.169.254/latest/meta-data',
      '/loop': '/loop',
      '/see-other': `${target.url}/after-post`,
      '/temporary': `${target.url}/landed`,
      '/same-origin': '/echo',
      '/with-credentials': `${target.url.replace('//', '//bot:hunter2@')}/landed?token=s3cr3t`,
    };
    if (req.path === '/echo') return sendJson(res, 200, { apiKey: req.headers['x-api-key'] ?? null });
    const location = to[req.path];
    if (!location) return sendJson(res, 404, {});
    const status =
      req.path === '/see-other' ? 303 : ['/temporary', '/same-origin'].includes(req.path) ? 307 : 302;
    res.writeHead(status, { location }).end();
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([target.close(), redirector.close()]);
});

const client = (policy: EgressPolicyInput, maxBodyBytes = 1024 * 1024) => {
  const created = createEgressClient({ policy: createEgressPolicy(policy), maxBodyBytes, maxRedirects: 3 });
  clients.push(created);
  return created;
};
const hits = (server: TestServer, path: string) => server.requests.filter((r) => r.path === path).length;
const loopback = { allowedHosts: ['127.0.0.1', 'localhost'], allowPrivate: ['127.0.0.0/8', '::1'] };

describe('egress client', () => {
  it('refuses a loopback address that is not explicitly allowed, without connecting', async () => {
    const closed = client({ allowedHosts: ['127.0.0.1'] });
    const call = closed.json(`${target.url}/secret`);
    await expect(call).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(call).rejects.toThrow(
      'egress refused: 127.0.0.1 (loopback) for host 127.0.0.1; allow it in EGRESS_ALLOW_PRIVATE',
    );
    expect(hits(target, '/secret')).toBe(0);
  });

  it('refuses a hostname that resolves to loopback, checking what DNS answered', async () => {
    const byName = client({ allowedHosts: ['localhost'] });
    const url = `${target.url.replace('127.0.0.1', 'localhost')}/by-name`;
    const call = byName.json(url);
    await expect(call).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(call).rejects.toThrow(/egress refused: (127\.0\.0\.1|::1) \(loopback\) for host localhost/);
    expect(hits(target, '/by-name')).toBe(0);
  });

  it('reaches loopback once EGRESS_ALLOW_PRIVATE lists it, by address or by name', async () => {
    const open = client(loopback);
    await expect(open.json(`${target.url}/ok`)).resolves.toMatchObject({ path: '/ok' });
    const byName = client({ allowedHosts: ['localhost'], allowPrivate: ['localhost'] });
    await expect(byName.json(`${target.url.replace('127.0.0.1', 'localhost')}/ok`)).resolves.toMatchObject({
      path: '/ok',
    });
  });

  it('refuses a host that is not allowed, whatever its address', async () => {
    const other = client({ allowedHosts: ['api.example.com'], allowPrivate: ['127.0.0.0/8'] });
    await expect(other.json(`${target.url}/ok`)).rejects.toThrow(
      /egress refused: host 127\.0\.0\.1:\d+ is not in EGRESS_ALLOWED_HOSTS/,
    );
  });

  it('follows a redirect to an allowed host, dropping credentials across origins', async () => {
    const open = client(loopback);
    await expect(
      open.json(`${redirector.url}/to-target`, { headers: { authorization: 'Bearer secret' } }),
    ).resolves.toMatchObject({ path: '/landed', method: 'GET', auth: null });
  });

  it('sends no caller header but the safe ones across origins on a 307, keeping the body', async () => {
    const open = client(loopback);
    await expect(
      open.json(`${redirector.url}/temporary`, {
        method: 'POST',
        headers: { 'x-api-key': 'k3y-value', 'x-team-token': 't0ken', accept: 'application/json' },
        json: { a: 1 },
      }),
    ).resolves.toEqual({
      path: '/landed',
      method: 'POST',
      auth: null,
      apiKey: null,
      contentType: 'application/json',
      body: '{"a":1}',
    });
    const landed = target.requests.filter((r) => r.path === '/landed').at(-1);
    expect(landed?.headers).not.toHaveProperty('x-team-token');
    expect(landed?.headers.accept).toBe('application/json');
  });

  it('keeps the caller headers on a same-origin redirect', async () => {
    await expect(
      client(loopback).json(`${redirector.url}/same-origin`, { headers: { 'x-api-key': 'k3y-value' } }),
    ).resolves.toEqual({ apiKey: 'k3y-value' });
  });

  it('names a URL in its errors without userinfo and with query values masked', async () => {
    const secret = /hunter2|s3cr3t|bot:/;
    const open = client(loopback);
    const failed = (await open
      .json(`${target.url}/fail?token=s3cr3t&page=2`)
      .catch((e: unknown) => e)) as HttpError;
    expect(failed).toBeInstanceOf(HttpError);
    expect(failed.message).toBe(`HTTP 500 from ${target.url}/fail?token=***&page=***`);
    expect(JSON.stringify({ ...failed, message: failed.message })).not.toMatch(secret);

    const withUser = `${target.url.replace('//', '//bot:hunter2@')}/ok?token=s3cr3t`;
    const refused = (await open.json(withUser).catch((e: unknown) => e)) as Error;
    expect(refused).toBeInstanceOf(EgressRefusedError);
    expect(refused.message).toBe(
      `egress refused: credentials in the URL ${target.url}/ok?token=*** are not sent; use a header`,
    );
    const redirected = (await open
      .json(`${redirector.url}/with-credentials`)
      .catch((e: unknown) => e)) as Error;
    expect(redirected).toBeInstanceOf(EgressRefusedError);
    expect(redirected.message).not.toMatch(secret);

    const capped = client(loopback, 1_024);
    const tooLarge = (await capped
      .json(`${target.url.replace('//', '//bot:hunter2@')}/huge?token=s3cr3t`)
      .catch((e: unknown) => e)) as Error;
    expect(tooLarge.message).not.toMatch(secret);
    const overCap = (await capped.json(`${target.url}/huge?token=s3cr3t`).catch((e: unknown) => e)) as Error;
    expect(overCap.message).toBe(`response body over 1024 bytes from ${target.url}/huge?token=***`);
    expect(hits(target, '/ok?token=s3cr3t')).toBe(0);
  });

  it('refuses a redirect to a host or address the policy does not allow', async () => {
    const redirectorPort = new URL(redirector.url).port;
    const onlyRedirector = client({
      allowedHosts: [`127.0.0.1:${redirectorPort}`],
      allowPrivate: ['127.0.0.0/8'],
    });
    const before = hits(target, '/landed');
    await expect(onlyRedirector.json(`${redirector.url}/to-target`)).rejects.toThrow(
      /egress refused: host 127\.0\.0\.1:\d+ is not in EGRESS_ALLOWED_HOSTS/,
    );
    // Loopback is allowed for the name `localhost` only: a redirect to the bare address is refused.
    const byName = client({ allowedHosts: ['*'], allowPrivate: ['localhost'] });
    await expect(
      byName.json(`${redirector.url.replace('127.0.0.1', 'localhost')}/to-target`),
    ).rejects.toThrow(
      'egress refused: 127.0.0.1 (loopback) for host 127.0.0.1; allow it in EGRESS_ALLOW_PRIVATE',
    );
    const anyHost = client({ allowedHosts: ['*'], allowPrivate: ['127.0.0.1'] });
    await expect(anyHost.json(`${redirector.url}/to-metadata`)).rejects.toThrow(
      'egress refused: 169.254.169.254 (link-local) for host 169.254.169.254',
    );
    expect(hits(target, '/landed')).toBe(before);
  });

  it('stops after the redirect limit', async () => {
    await expect(client(loopback).json(`${redirector.url}/loop`)).rejects.toThrow(
      /egress refused: more than 3 redirects/,
    );
  });

  it('continues a POST answered with 303 as a GET without the body', async () => {
    await expect(
      client(loopback).json(`${redirector.url}/see-other`, { method: 'POST', json: { a: 1 } }),
    ).resolves.toMatchObject({ path: '/after-post', method: 'GET' });
  });

  it('stops reading a 10 MB body at the cap and aborts the download', async () => {
    const capped = client(loopback);
    const call = capped.json(`${target.url}/huge`);
    await expect(call).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(call).rejects.toThrow(`response body over ${1024 * 1024} bytes from ${target.url}/huge`);
    await expect(hugeEnded).resolves.toBe('cut off');
  });

  it('keeps only a snippet of a large error page, so a 5xx stays a 5xx', async () => {
    const call = client(loopback).json(`${target.url}/huge-error`);
    await expect(call).rejects.toBeInstanceOf(HttpError);
    const error = (await call.catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(500);
    expect((error.body as string).length).toBe(64 * 1024);
  });

  it('streams a body raw for a consumer that bounds it itself', async () => {
    const res = await client(loopback, 1_024).request(`${target.url}/stream-me`);
    let size = 0;
    for await (const chunk of res.stream()) size += chunk.byteLength;
    expect(res.ok).toBe(true);
    expect(size).toBeGreaterThan(0);
  });
});
