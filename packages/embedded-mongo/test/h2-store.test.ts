import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Connection } from 'mongoose';
import {
  EmbeddedMongoDamagedStoreError,
  startEmbeddedMongo,
  startSupervisedEmbeddedMongo,
} from '../src/index.js';
import { damageNewestChunk, damageStoreHeaders } from './damage-file.js';
import { waitForExit } from './helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedded-h2-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function connect(url: string): Promise<Connection> {
  return mongoose.createConnection(`${url}/h2_store`, { serverSelectionTimeoutMS: 5_000 }).asPromise();
}

async function insertNumbered(url: string, count: number): Promise<void> {
  const conn = await connect(url);
  try {
    for (let n = 0; n < count; n++) await conn.collection('things').insertOne({ n });
  } finally {
    await conn.close();
  }
}

async function numbersIn(url: string): Promise<number[]> {
  const conn = await connect(url);
  try {
    const docs = await conn.collection('things').find().sort({ n: 1 }).toArray();
    return docs.map((doc) => doc.n as number);
  } finally {
    await conn.close();
  }
}

async function killHard(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  expect(await waitForExit(pid, 10_000)).toBe(true);
}

describe('h2 store durability', () => {
  it('keeps every acknowledged insert when the java process is SIGKILLed right after', async () => {
    const dataFile = join(dir, 'durable.h2');
    const first = await startEmbeddedMongo({ backend: 'h2', dataFile });
    await insertNumbered(first.url, 20);
    await killHard(first.pid);

    const second = await startEmbeddedMongo({ backend: 'h2', dataFile });
    try {
      expect(await numbersIn(second.url)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    } finally {
      await second.stop();
    }
  });
});

describe('supervised h2 store', () => {
  it('restarts a SIGKILLed store on the same URL, with the data acknowledged before', async () => {
    const logs: string[] = [];
    const giveUps: Error[] = [];
    const mongo = await startSupervisedEmbeddedMongo(
      { backend: 'h2', dataFile: join(dir, 'supervised.h2') },
      { log: (message) => logs.push(message), onGiveUp: (error) => giveUps.push(error) },
    );
    const conn = await connect(mongo.url);
    try {
      await conn.collection('things').insertOne({ n: 1 });
      const killed = mongo.pid;
      await killHard(killed);

      // The same driver connection finds the restarted server by itself.
      const deadline = Date.now() + 60_000;
      let found: unknown = null;
      while (!found && Date.now() < deadline) {
        found = await conn
          .collection('things')
          .findOne({ n: 1 })
          .catch(() => sleep(250).then(() => null));
      }
      expect(found).toMatchObject({ n: 1 });
      expect(mongo.pid).not.toBe(killed);
      expect(mongo.restarts).toBe(1);
      expect(logs.join('\n')).toContain(`pid ${killed}) died (signal SIGKILL)`);
      expect(giveUps).toEqual([]);
    } finally {
      await conn.close();
      await mongo.stop();
    }
  });

  it('gives up, naming the file, when the dead store cannot be started again', async () => {
    const dataFile = join(dir, 'lost.h2');
    let gaveUp: (error: Error) => void = () => {};
    const giveUp = new Promise<Error>((resolve) => {
      gaveUp = resolve;
    });
    const mongo = await startSupervisedEmbeddedMongo(
      { backend: 'h2', dataFile, log: () => {} },
      { log: () => {}, onGiveUp: gaveUp, backoffMs: 2_000 },
    );
    try {
      await insertNumbered(mongo.url, 1);
      await killHard(mongo.pid);
      // Within the backoff, before the restart reads the file.
      await damageStoreHeaders(dataFile);

      const error = await giveUp;
      expect(error).toBeInstanceOf(EmbeddedMongoDamagedStoreError);
      expect(error.message).toContain(`the data file ${dataFile} is damaged beyond repair`);
    } finally {
      await mongo.stop();
    }
  });
});

describe('damaged h2 file', () => {
  it('rolls the file back to its newest consistent version, keeps a copy and names the file', async () => {
    const dataFile = join(dir, 'damaged.h2');
    const first = await startEmbeddedMongo({ backend: 'h2', dataFile });
    await insertNumbered(first.url, 20);
    await first.stop();
    await damageNewestChunk(dataFile);

    const logs: string[] = [];
    const second = await startEmbeddedMongo({ backend: 'h2', dataFile, log: (line) => logs.push(line) });
    try {
      const numbers = await numbersIn(second.url);
      // Only the damaged newest version (the last insert at most) is gone: the rest is back.
      expect(numbers.length).toBeGreaterThanOrEqual(19);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, n) => n));
    } finally {
      await second.stop();
    }
    const copies = (await readdir(dir)).filter((name) => name.startsWith('damaged.h2.damaged-'));
    expect(copies).toHaveLength(1);
    const log = logs.join('\n');
    expect(log).toContain(`the data file ${dataFile} is damaged: org.h2.mvstore.MVStoreException`);
    expect(log).toContain(`repaired ${dataFile}: rolled back to version`);
    expect(log).toContain(join(dir, copies[0] ?? ''));
  });

  it('refuses a file damaged beyond repair with an error naming the file and the damage', async () => {
    const dataFile = join(dir, 'ruined.h2');
    const first = await startEmbeddedMongo({ backend: 'h2', dataFile });
    await insertNumbered(first.url, 3);
    await first.stop();
    await damageStoreHeaders(dataFile);

    const started = startEmbeddedMongo({ backend: 'h2', dataFile, log: () => {} });
    await expect(started).rejects.toBeInstanceOf(EmbeddedMongoDamagedStoreError);
    const message = await started.catch((error: Error) => error.message);
    expect(message).toContain(`the data file ${dataFile} is damaged beyond repair`);
    expect(message).toContain('Store header is corrupt');
    expect(message).toContain(`${dataFile}.damaged-`);
    expect(message).not.toMatch(/install/i);
  });
});
