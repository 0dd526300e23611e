import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CuttableProxy, requiredEnv } from '@delivery/testing';
import { GatewayUnderTest } from './gateway-harness.js';

// The kubelet's probes reach the gateway's own /healthz and /readyz, as on every other service,
// whether or not the web app is built and whatever page paths it serves.

let webDist: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  webDist = await mkdtemp(join(tmpdir(), 'gw-web-'));
  await writeFile(join(webDist, 'index.html'), '<!doctype html><title>web app</title>');
  cleanups.push(() => rm(webDist, { recursive: true, force: true }));
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const probe = async (base: string, path: string) => {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
};

test('without a built web app (as in every container) the probes answer, and the gateway is ready', async () => {
  const gateway = await GatewayUnderTest.start({ WEB_DIST_DIR: join(webDist, 'not-built') });
  cleanups.push(() => gateway.close());
  const health = await probe(gateway.url, '/healthz');
  expect({ status: health.status, body: JSON.parse(health.body) }).toEqual({
    status: 200,
    body: { status: 'ok' },
  });
  const readiness = await probe(gateway.url, '/readyz');
  expect({ status: readiness.status, body: JSON.parse(readiness.body) }).toEqual({
    status: 200,
    body: { ready: true, checks: expect.objectContaining({ mongo: 'ok', broker: 'ok' }) },
  });
  // Page paths still say the app is not built.
  expect((await probe(gateway.url, '/projects')).status).toBe(503);
});

test('with a built web app, readiness is the gateway’s own: 503 while its store is unreachable', async () => {
  const mongo = new URL(requiredEnv('MONGO_URL'));
  const proxy = await CuttableProxy.start(mongo.hostname, Number(mongo.port));
  cleanups.push(() => proxy.stop());
  const viaProxy = new URL(mongo);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const gateway = await GatewayUnderTest.start({ WEB_DIST_DIR: webDist, MONGO_URL: viaProxy.href });
  // Healed before the gateway closes its connection.
  cleanups.push(async () => {
    proxy.heal();
    await gateway.close();
  });

  expect(await probe(gateway.url, '/readyz')).toMatchObject({
    status: 200,
    type: expect.stringMatching(/^application\/json/),
  });
  expect(await probe(gateway.url, '/healthz')).toMatchObject({
    status: 200,
    type: expect.stringMatching(/^application\/json/),
  });
  // The app's pages are still the app's.
  expect(await probe(gateway.url, '/projects/p1')).toMatchObject({
    status: 200,
    body: expect.stringContaining('web app'),
  });

  proxy.partition();
  const down = await probe(gateway.url, '/readyz');
  expect(down.status).toBe(503);
  expect(JSON.parse(down.body)).toMatchObject({
    ready: false,
    checks: { mongo: expect.not.stringMatching(/^ok$/) },
  });
  // Alive all the same: restarting it would not bring the store back.
  expect((await probe(gateway.url, '/healthz')).status).toBe(200);
});
