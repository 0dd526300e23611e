import { createServer, type Server } from 'node:http';
import { freePort } from '@delivery/testing';
import { createPooledJsonClient } from '../src/breaker/pooled-json-client.js';

// Real servers on loopback: one that answers and counts, one that takes each request and drops the
// connection before answering (a replica dying mid-request), and a port where nothing listens (a
// replica that is down).

let received: { method: string; url: string }[] = [];
let answering: Server;
let dropping: Server;
let answeringUrl: string;
let droppingUrl: string;
let downUrl: string;

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
};

beforeAll(async () => {
  answering = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  dropping = createServer((req) => {
    received.push({ method: `${req.method} (dropped)`, url: req.url ?? '' });
    req.socket.destroy();
  });
  answeringUrl = await listen(answering);
  droppingUrl = await listen(dropping);
  downUrl = `http://127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  for (const server of [answering, dropping]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
beforeEach(() => {
  received = [];
});

const client = (baseUrls: string[]) =>
  createPooledJsonClient({ name: 'pool-test', timeoutMs: 2_000, baseUrls });

describe('a JSON client over several replicas', () => {
  it('sends every call, POSTs included, to the replica that is up when the other refuses connections', async () => {
    const request = client([downUrl, answeringUrl]);
    for (let call = 0; call < 4; call++) {
      await expect(request('/things', { method: 'POST', json: { call } })).resolves.toEqual({ ok: true });
    }
    expect(received).toEqual(Array.from({ length: 4 }, () => ({ method: 'POST', url: '/things' })));
  });

  it('spreads calls over the replicas that are up', async () => {
    const other = createServer((req, res) => {
      received.push({ method: `${req.method} (other)`, url: req.url ?? '' });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const otherUrl = await listen(other);
    try {
      const request = client([answeringUrl, otherUrl]);
      for (let call = 0; call < 4; call++) await request('/things');
      expect(received.map((request) => request.method).sort()).toEqual([
        'GET',
        'GET',
        'GET (other)',
        'GET (other)',
      ]);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('sends a GET whose connection broke before the answer to the next replica', async () => {
    const request = client([droppingUrl, answeringUrl]);
    await expect(request('/things/1')).resolves.toEqual({ ok: true });
    expect(received).toEqual([
      { method: 'GET (dropped)', url: '/things/1' },
      { method: 'GET', url: '/things/1' },
    ]);
  });

  it('does not send a POST again once a replica received it, even if no answer came', async () => {
    const request = client([droppingUrl, answeringUrl]);
    await expect(request('/things', { method: 'POST', json: {} })).rejects.toThrow('fetch failed');
    expect(received).toEqual([{ method: 'POST (dropped)', url: '/things' }]);
  });

  it('with one URL that is down, fails as a single URL does', async () => {
    await expect(client([downUrl])('/things')).rejects.toThrow('fetch failed');
  });
});
