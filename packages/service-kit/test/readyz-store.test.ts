import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedMongo, startEmbeddedMongo } from '@delivery/embedded-mongo';
import type { Connection } from 'mongoose';
import { NotReadyError, Readiness } from '../src/http/readiness.js';
import { connectMongo, mongoReadiness } from '../src/mongo/connect.js';

// The store of the trial: the embedded H2 backend dies on a deeply nested document while
// its server still accepts connections. /readyz must say so, with a code, not the Java stack.

let directory: string;
let mongo: EmbeddedMongo;
let connection: Connection;
const logged: unknown[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'readyz-store-'));
  mongo = await startEmbeddedMongo({ backend: 'h2', dataFile: join(directory, 'store.mv.db') });
  connection = await connectMongo(mongo.url, { dbName: 'readyz' });
});

afterAll(async () => {
  await connection.close(true);
  await mongo.stop();
  await rm(directory, { recursive: true, force: true });
});

test('a store whose backend died makes /readyz answer mongo_unreachable, the cause only in the log', async () => {
  const readiness = new Readiness(2000, { warn: (entry) => logged.push(entry) });
  readiness.register('mongo', mongoReadiness(connection));
  expect(await readiness.evaluate()).toEqual({ ready: true, checks: { mongo: 'ok' } });

  let nested: Record<string, unknown> = { leaf: true };
  for (let depth = 0; depth < 400; depth += 1) nested = { nested };
  await connection.db
    ?.collection('deep')
    .insertOne(nested)
    .catch(() => undefined);

  const report = await readiness.evaluate();
  expect(report).toEqual({ ready: false, checks: { mongo: 'mongo_unreachable' } });
  expect(JSON.stringify(report)).not.toMatch(/Exception|h2|java/i);
  expect(logged).toContainEqual(expect.objectContaining({ check: 'mongo', err: expect.any(NotReadyError) }));
});
