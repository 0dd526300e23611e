import { sweepRetention } from '@delivery/service-kit';
import { uniqueName } from '@delivery/testing';
import mongoose, { type Connection } from 'mongoose';
import { type JobModel, jobModel } from '../src/store/job-model.js';
import { jobRetention } from '../src/store/retention.js';

/** Finished-job retention against the real (embedded) database, at a fixed "now". */
let connection: Connection;
let model: JobModel;
const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

beforeAll(async () => {
  connection = await mongoose
    .createConnection(process.env.MONGO_URL as string, { dbName: uniqueName('job-retention') })
    .asPromise();
  model = jobModel(connection);
  await model.init();
});
beforeEach(() => model.deleteMany({}));
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

/** Only the fields the sweep reads: the rest of a job does not matter to it. */
const job = (_id: string, status: string, finishedAt: Date | null, outbox: unknown[] = []) => ({
  _id,
  idempotencyKey: _id,
  status,
  finishedAt,
  createdAt: daysAgo(400),
  outbox,
});

async function remaining(): Promise<string[]> {
  const left = await model.find({}, { _id: 1 }).sort({ _id: 1 }).lean<{ _id: string }[]>();
  return left.map((document) => document._id);
}

test('a finished job older than the retention is gone after the sweep; newer and unfinished ones stay', async () => {
  await model.collection.insertMany([
    job('old-success', 'SUCCESS', daysAgo(31)),
    job('old-failed', 'FAILED', daysAgo(45)),
    job('old-canceled', 'CANCELED', daysAgo(300)),
    job('new-success', 'SUCCESS', daysAgo(29)),
    // Created long ago but never finished: waiting jobs are state, not history.
    job('queued', 'QUEUED', null),
    job('running', 'RUNNING', null),
    job('waiting', 'NEEDS_HUMAN', null),
    // Finished long ago but its event is not relayed yet: deleting it would lose the event.
    job('old-unrelayed', 'SUCCESS', daysAgo(60), [{ destination: 'event', routingKey: 'job.completed' }]),
  ] as never[]);

  const removed = await sweepRetention(jobRetention(model, 30), now);

  expect(removed).toEqual({ 'finished jobs': 3 });
  expect(await remaining()).toEqual(['new-success', 'old-unrelayed', 'queued', 'running', 'waiting']);
});

test('a retention of 0 keeps every job', async () => {
  await model.collection.insertMany([job('ancient', 'SUCCESS', daysAgo(3_000))] as never[]);

  expect(await sweepRetention(jobRetention(model, 0), now)).toEqual({});
  expect(await remaining()).toEqual(['ancient']);
});

test('one pass deletes at most its batches; the next pass goes on', async () => {
  await model.collection.insertMany(
    Array.from({ length: 5 }, (_, index) => job(`old-${index}`, 'SUCCESS', daysAgo(100))) as never[],
  );

  expect(await sweepRetention(jobRetention(model, 30), now, { batch: 2, maxBatches: 1 })).toEqual({
    'finished jobs': 2,
  });
  expect(await remaining()).toHaveLength(3);
  expect(await sweepRetention(jobRetention(model, 30), now, { batch: 2, maxBatches: 5 })).toEqual({
    'finished jobs': 3,
  });
  expect(await remaining()).toEqual([]);
});
