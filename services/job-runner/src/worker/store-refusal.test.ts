import { requiredEnv, uniqueName } from '@delivery/testing';
import mongoose, { type Connection } from 'mongoose';
import { isDocumentRefused } from './store-refusal.js';

/** Real errors from the real store (and driver), as an outcome write meets them. */
let connection: Connection;

beforeAll(async () => {
  connection = await mongoose
    .createConnection(requiredEnv('MONGO_URL'), { dbName: uniqueName('refusal') })
    .asPromise();
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const writeError = async (result: unknown): Promise<unknown> => {
  const jobs = connection.collection('jobs');
  await jobs.insertOne({ _id: 'job-1' as never, result: null });
  try {
    await jobs.updateOne({ _id: 'job-1' as never }, { $set: { result } });
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await jobs.deleteMany({});
  }
};

test('a key BSON cannot encode is refused for good', async () => {
  const error = await writeError({ 'bad\u0000key': 1 });
  expect(error).toHaveProperty('message');
  expect(isDocumentRefused(error)).toBe(true);
});

test('a document too large for the store is refused for good', async () => {
  const error = await writeError({ blob: 'x'.repeat(17 * 1024 * 1024) });
  expect(error).toHaveProperty('message');
  expect(isDocumentRefused(error)).toBe(true);
});

test('an unreachable store is worth another attempt', async () => {
  const error = await mongoose
    .createConnection('mongodb://127.0.0.1:9/none', { serverSelectionTimeoutMS: 200 })
    .asPromise()
    .catch((caught: unknown) => caught);
  expect(error).toHaveProperty('message');
  expect(isDocumentRefused(error)).toBe(false);
  expect(isDocumentRefused('not an error')).toBe(false);
});
