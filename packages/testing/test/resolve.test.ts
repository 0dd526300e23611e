import mongoose from 'mongoose';
import {
  isDockerEngineAvailable,
  mongoUrlForDatabase,
  resolveAmqp,
  resolveMongo,
  uniqueName,
} from '../src/index.js';

// jest/global-setup.ts exports MONGO_URL and AMQP_URL for every worker; these tests need to see
// the resolution without them, so they remove and restore the variables around each test.
const saved = { MONGO_URL: process.env.MONGO_URL, AMQP_URL: process.env.AMQP_URL };

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('resolveMongo', () => {
  it('returns MONGO_URL as is when set', async () => {
    process.env.MONGO_URL = 'mongodb://example.invalid:27017';
    const mongo = await resolveMongo({ purpose: 'test' });
    expect(mongo).toMatchObject({ url: 'mongodb://example.invalid:27017', kind: 'env' });
    await mongo.stop();
  });

  it('without MONGO_URL starts a server that mongoose can use', async () => {
    delete process.env.MONGO_URL;
    const mongo = await resolveMongo({ purpose: 'test' });
    try {
      expect(mongo.kind).toBe((await isDockerEngineAvailable()) ? 'container' : 'embedded');
      const conn = await mongoose
        .createConnection(mongoUrlForDatabase(mongo.url, uniqueName('resolve')))
        .asPromise();
      try {
        await conn.collection('things').insertOne({ ok: true });
        await expect(conn.collection('things').countDocuments({ ok: true })).resolves.toBe(1);
      } finally {
        await conn.close();
      }
    } finally {
      await mongo.stop();
    }
  });
});

describe('resolveAmqp', () => {
  it('returns AMQP_URL as is when set', async () => {
    process.env.AMQP_URL = 'amqp://guest:guest@example.invalid:5672';
    await expect(resolveAmqp()).resolves.toMatchObject({ kind: 'env' });
  });

  it('without AMQP_URL finds a broker', async () => {
    delete process.env.AMQP_URL;
    const amqp = await resolveAmqp();
    expect(amqp.kind).toBe((await isDockerEngineAvailable()) ? 'container' : 'local');
    expect(amqp.url).toMatch(/^amqp:\/\//);
    await amqp.stop();
  });
});
