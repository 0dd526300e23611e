import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mongoose, { type Connection } from 'mongoose';
import { type EmbeddedMongo, startEmbeddedMongo } from '../src/index.js';
import { isProcessAlive, waitForExit } from './helpers.js';

const jobSchema = new mongoose.Schema({
  key: { type: String, required: true, unique: true },
  status: { type: String, required: true },
  lockedBy: String,
});

async function connect(url: string, db: string): Promise<Connection> {
  return mongoose.createConnection(`${url}/${db}`, { serverSelectionTimeoutMS: 5_000 }).asPromise();
}

describe('embedded mongo (memory backend)', () => {
  let mongo: EmbeddedMongo;
  let conn: Connection;

  beforeAll(async () => {
    mongo = await startEmbeddedMongo({ backend: 'memory' });
    conn = await connect(mongo.url, 'embedded_mongo_test');
  });

  afterAll(async () => {
    await conn?.close();
    await mongo?.stop();
  });

  it('listens on a local port and answers ping', async () => {
    expect(mongo.url).toBe(`mongodb://127.0.0.1:${mongo.port}`);
    expect(isProcessAlive(mongo.pid)).toBe(true);
    await expect(conn.db?.admin().ping()).resolves.toMatchObject({ ok: 1 });
  });

  it('rejects a duplicate on a unique index with E11000', async () => {
    const Job = conn.model('UniqueJob', jobSchema);
    await Job.init();
    await Job.create({ key: 'same', status: 'QUEUED' });
    await expect(Job.create({ key: 'same', status: 'QUEUED' })).rejects.toMatchObject({ code: 11000 });
  });

  it('lets exactly one of several concurrent claimers win a conditional findOneAndUpdate', async () => {
    const Job = conn.model('ClaimJob', jobSchema);
    const job = await Job.create({ key: 'claim-me', status: 'QUEUED' });
    // Separate connections so the claims really race on the server, not in one socket's queue.
    const others = await Promise.all([1, 2, 3, 4].map(() => connect(mongo.url, 'embedded_mongo_test')));
    try {
      const claims = [conn, ...others].flatMap((c, i) =>
        [0, 1].map((j) =>
          c
            .model('ClaimJob', jobSchema)
            .findOneAndUpdate(
              { _id: job._id, status: 'QUEUED' },
              { $set: { status: 'RUNNING', lockedBy: `worker-${i}-${j}` } },
              { returnDocument: 'after' },
            )
            .lean(),
        ),
      );
      const results = await Promise.all(claims);
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      const stored = await Job.findById(job._id).lean();
      expect(stored).toMatchObject({ status: 'RUNNING', lockedBy: winners[0]?.lockedBy });
    } finally {
      await Promise.all(others.map((c) => c.close()));
    }
  });
});

describe('embedded mongo lifecycle', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedded-mongo-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps h2 data across a stop and a start with the same file', async () => {
    const dataFile = join(dir, 'store.h2');
    const first = await startEmbeddedMongo({ backend: 'h2', dataFile });
    const writer = await connect(first.url, 'persist');
    await writer.collection('things').insertOne({ name: 'kept' });
    await writer.close();
    await first.stop();

    const second = await startEmbeddedMongo({ backend: 'h2', dataFile });
    try {
      const reader = await connect(second.url, 'persist');
      const found = await reader.collection('things').findOne({ name: 'kept' });
      await reader.close();
      expect(found).toMatchObject({ name: 'kept' });
    } finally {
      await second.stop();
    }
  });

  it('ends the java process on stop()', async () => {
    const mongo = await startEmbeddedMongo({ backend: 'memory' });
    expect(isProcessAlive(mongo.pid)).toBe(true);
    await mongo.stop();
    expect(await waitForExit(mongo.pid, 2_000)).toBe(true);
  });

  it('starts again on the same port after a stop', async () => {
    const first = await startEmbeddedMongo({ backend: 'memory' });
    const conn = await connect(first.url, 'restart');
    await conn.collection('x').insertOne({ a: 1 });
    await first.stop();
    const second = await startEmbeddedMongo({ backend: 'memory', port: first.port });
    try {
      expect(second.port).toBe(first.port);
      // The same driver connection finds the restarted server by itself.
      await expect(conn.collection('x').countDocuments()).resolves.toBe(0);
    } finally {
      await conn.close();
      await second.stop();
    }
  });

  it('leaves no java process behind when the node process that started it is SIGKILLed', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/start-and-hang.ts', import.meta.url));
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout }).once('line', resolve);
      parent.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    const { pid } = JSON.parse(line) as { pid: number };
    expect(isProcessAlive(pid)).toBe(true);

    parent.kill('SIGKILL');
    expect(await waitForExit(pid, 10_000)).toBe(true);
  });
});
