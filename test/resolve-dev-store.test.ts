import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveMongo } from '@delivery/testing';
import mongoose from 'mongoose';

/**
 * `npm start` on a damaged `.data/` file must say which file and what damage, not send a user
 * who has Java and Maven off to install them.
 */
const saved = { MONGO_URL: process.env.MONGO_URL, DOCKER_HOST: process.env.DOCKER_HOST };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-store-'));
  // The route under test is the embedded store: no MONGO_URL, and no Docker engine answering.
  delete process.env.MONGO_URL;
  process.env.DOCKER_HOST = `unix://${join(dir, 'no-docker.sock')}`;
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await rm(dir, { recursive: true, force: true });
});

test('names the damaged data file instead of asking to install Java and Maven', async () => {
  const dataFile = join(dir, 'mongo.h2');
  const first = await resolveMongo({ purpose: 'dev', dataFile });
  const conn = await mongoose.createConnection(`${first.url}/dev_store`).asPromise();
  await conn.collection('things').insertOne({ kept: true });
  await conn.close();
  await first.stop();
  // Both store headers overwritten: no version of the file can be read.
  const handle = await open(dataFile, 'r+');
  await handle.write(Buffer.alloc(8192, 0xab), 0, 8192, 0);
  await handle.close();

  const message = await resolveMongo({ purpose: 'dev', dataFile }).then(
    (mongo) => mongo.stop().then(() => 'started'),
    (error: Error) => error.message,
  );
  expect(message).toContain(`the data file ${dataFile} is damaged beyond repair`);
  expect(message).toContain('Store header is corrupt');
  expect(message).not.toContain('install Java');
});
