import { sweepRetention } from '@delivery/service-kit';
import { uniqueName } from '@delivery/testing';
import mongoose, { type Connection } from 'mongoose';
import { type GatewayModels, gatewayModels } from '../src/store/models.js';
import { gatewayRetention } from '../src/store/retention.js';
import { dropPlainSessionExpiryIndex } from '../src/store/session-expiry-index.js';

/** Session expiry and access audit retention against the real (embedded) database, at a fixed "now". */
let connection: Connection;
let models: GatewayModels;
const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

beforeAll(async () => {
  connection = await mongoose
    .createConnection(process.env.MONGO_URL as string, { dbName: uniqueName('gateway-retention') })
    .asPromise();
  models = gatewayModels(connection);
  await Promise.all([models.sessions.init(), models.audit.init()]);
});
beforeEach(async () => {
  await Promise.all([models.sessions.deleteMany({}), models.audit.deleteMany({})]);
  await models.audit.collection.insertMany([
    { _id: 'old', createdAt: daysAgo(31), action: 'session.signed_in' },
    { _id: 'new', createdAt: daysAgo(29), action: 'session.signed_in' },
  ] as never[]);
  await models.sessions.collection.insertMany([
    { _id: 'expired', userId: 'u-1', expiresAt: new Date(now.getTime() - 1_000) },
    { _id: 'live', userId: 'u-1', expiresAt: new Date(now.getTime() + 60_000) },
  ] as never[]);
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const idsOf = async (model: GatewayModels['audit'] | GatewayModels['sessions']) =>
  (await model.collection.find({}).sort({ _id: 1 }).toArray()).map((document) => String(document._id));

test('sessions expire by a TTL index on expiresAt', async () => {
  const indexes = await models.sessions.collection.indexes();
  expect(indexes.find((index) => index.key.expiresAt === 1)).toMatchObject({ expireAfterSeconds: 0 });
});

test('audit records older than the retention and expired sessions are gone after the sweep; newer ones stay', async () => {
  const removed = await sweepRetention(gatewayRetention(models, 30), now);

  expect(removed).toEqual({ 'access audit': 1, 'expired sessions': 1 });
  expect(await idsOf(models.audit)).toEqual(['new']);
  expect(await idsOf(models.sessions)).toEqual(['live']);
});

test('a retention of 0 keeps the whole audit; expired sessions still go', async () => {
  const removed = await sweepRetention(gatewayRetention(models, 0), now);

  expect(removed).toEqual({ 'expired sessions': 1 });
  expect(await idsOf(models.audit)).toEqual(['new', 'old']);
});

test('a database with the old plain expiresAt index gets the TTL index at start', async () => {
  const older = await mongoose
    .createConnection(process.env.MONGO_URL as string, { dbName: uniqueName('gateway-upgrade') })
    .asPromise();
  try {
    await older.collection('sessions').createIndex({ expiresAt: 1 });
    expect(await dropPlainSessionExpiryIndex(older)).toBe(true);
    await gatewayModels(older).sessions.init();
    const indexes = await older.collection('sessions').indexes();
    expect(indexes.find((index) => index.key.expiresAt === 1)).toMatchObject({ expireAfterSeconds: 0 });
    expect(await dropPlainSessionExpiryIndex(older)).toBe(false);
  } finally {
    await older.dropDatabase();
    await older.close();
  }
});
