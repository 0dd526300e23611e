import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedMongo } from '@delivery/embedded-mongo';
import { testKeys, uniqueName } from '@delivery/testing';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { createHttpApp } from '../src/http/create-app.js';
import { Readiness } from '../src/http/readiness.js';
import { createIdentityVerifier } from '../src/identity/verifier.js';
import { connectMongo, mongoReadiness } from '../src/mongo/connect.js';
import { freePort } from './example-process.js';

const logger = pino({ level: 'silent' });

async function pollStatus(url: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await fetch(url)).status;
    if (status === expected) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return status;
}

describe('/readyz with a Mongo that goes away and comes back', () => {
  let mongoPort: number;
  let mongo: Awaited<ReturnType<typeof startEmbeddedMongo>> | undefined;
  let connection: Connection;
  let server: Server;
  let readyz: string;

  beforeAll(async () => {
    mongoPort = await freePort();
    mongo = await startEmbeddedMongo({ backend: 'memory', port: mongoPort });
    connection = await connectMongo(mongo.url, { dbName: uniqueName('readyz') });
    const readiness = new Readiness(1000);
    readiness.register('mongo', mongoReadiness(connection));
    const identity = createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'hitl' });
    server = createHttpApp({ logger, readiness, identity }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    readyz = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await connection.close(true);
    await mongo?.stop();
  });

  it('answers 503 naming mongo within seconds of the server stopping, and 200 once it is back', async () => {
    expect((await fetch(readyz)).status).toBe(200);

    await mongo?.stop();
    mongo = undefined;
    expect(await pollStatus(readyz, 503, 10_000)).toBe(503);
    const report = await (await fetch(readyz)).json();
    // A code, never the driver's message: unreachable once the driver knows, timeout while it waits.
    expect(report).toEqual({
      ready: false,
      checks: { mongo: expect.stringMatching(/^(mongo_unreachable|timeout)$/) },
    });

    mongo = await startEmbeddedMongo({ backend: 'memory', port: mongoPort });
    expect(await pollStatus(readyz, 200, 15_000)).toBe(200);
  });
});
