import { connect } from 'node:net';
import { mongoUrlForDatabase, uniqueName } from '@delivery/testing';
import { exampleAuth, freePort, spawnExample, untilListening } from './example-process.js';

const mongoUrl = () => {
  const url = process.env.MONGO_URL;
  if (!url) throw new Error('MONGO_URL is not set (jest globalSetup provides it)');
  return mongoUrlForDatabase(url, uniqueName('service_kit_example'));
};

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('example service on SIGTERM', () => {
  it('finishes the in-flight request, exits 0 and refuses new connections', async () => {
    const port = await freePort();
    const example = spawnExample({ PORT: String(port), MONGO_URL: mongoUrl() });
    try {
      await untilListening(example);
      const base = `http://127.0.0.1:${port}`;
      // A keep-alive connection left idle must not hold shutdown open.
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      const started = Date.now();
      const inFlight = fetch(`${base}/slow?ms=1500`, { headers: exampleAuth() }).then(async (res) => ({
        status: res.status,
        body: await res.json(),
      }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      example.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Still draining the slow request, but no longer accepting connections.
      expect(await connects(port)).toBe(false);

      expect(await inFlight).toEqual({ status: 200, body: { sleptMs: 1500 } });
      expect(await example.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(8000);
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
      expect(example.output()).toMatch(/"closer":"http"/);
    } finally {
      example.child.kill('SIGKILL');
    }
  });
});
