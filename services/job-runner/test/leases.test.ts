import { randomUUID } from 'node:crypto';
import type { EnqueueJob } from '@delivery/contracts';
import { uniqueName } from '@delivery/testing';
import mongoose, { type Connection } from 'mongoose';
import { JobLeases } from '../src/store/job-leases.js';
import { type JobModel, jobModel } from '../src/store/job-model.js';
import { JobScheduling } from '../src/store/job-scheduling.js';
import { JobStore } from '../src/store/job-store.js';

/**
 * Leases and fencing against the real database, with a clock the test moves, so "the lease
 * expired" is a fact of the test rather than a race against a timer.
 */
let connection: Connection;
let model: JobModel;
let now = new Date('2026-06-01T12:00:00Z');
const clock = () => now;
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};
const backoff = { baseMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0 };

beforeAll(async () => {
  connection = await mongoose
    .createConnection(process.env.MONGO_URL as string, { dbName: uniqueName('leases') })
    .asPromise();
  model = jobModel(connection);
  await model.init();
});
beforeEach(() => model.deleteMany({}));
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const input = (overrides: Partial<EnqueueJob> = {}): EnqueueJob => ({
  projectId: 'p-lease',
  stage: '3_build',
  kind: 'noop',
  payload: {},
  idempotencyKey: randomUUID(),
  maxAttempts: 3,
  priority: 0,
  ...overrides,
});

test('two workers racing for one job: exactly one claim wins', async () => {
  const { job } = await new JobStore(model, clock).enqueue(input(), 'c-1');
  const leases = new JobLeases(model, backoff, clock);
  const claims = await Promise.all(
    ['w1', 'w2', 'w3', 'w4'].map((worker) => leases.claim(job.id, worker, 5_000)),
  );
  expect(claims.filter(Boolean)).toHaveLength(1);
  const stored = await model.findById(job.id).lean();
  expect(stored).toMatchObject({ status: 'RUNNING', attempts: 1 });
});

test('a worker that lost its lease cannot overwrite the result of the worker that took over (fencing)', async () => {
  const store = new JobStore(model, clock);
  const { job } = await store.enqueue(input(), 'c-2');
  const leases = new JobLeases(model, backoff, clock);
  const scheduling = new JobScheduling(model, backoff, clock);

  const slow = await leases.claim(job.id, 'slow-worker', 5_000);
  expect(slow).toBeDefined();
  advance(6_000); // slow-worker stopped heartbeating (GC pause, partition...)
  expect(await scheduling.expireLeases(10)).toHaveLength(1);
  expect(await leases.heartbeat(slow as NonNullable<typeof slow>, 5_000)).toBe('lost');

  advance(backoff.baseMs); // the retry comes due
  const fresh = await leases.claim(job.id, 'fresh-worker', 5_000);
  expect(fresh).toBeDefined();
  expect(
    await leases.record(fresh as NonNullable<typeof fresh>, { outcome: 'success', result: { by: 'fresh' } }),
  ).toBe('recorded');
  // The slow worker wakes up and tries to write its (now stale) outcome.
  expect(
    await leases.record(slow as NonNullable<typeof slow>, { outcome: 'success', result: { by: 'slow' } }),
  ).toBe('lease-lost');

  const stored = await store.get(job.id);
  expect(stored).toMatchObject({ status: 'SUCCESS', result: { by: 'fresh' }, attempts: 2 });
  expect(stored.history.map((attempt) => [attempt.workerId, attempt.outcome])).toEqual([
    ['slow-worker', 'lease_expired'],
    ['fresh-worker', 'success'],
  ]);
});

test('a job whose worker keeps dying ends FAILED after maxAttempts instead of looping forever', async () => {
  const { job } = await new JobStore(model, clock).enqueue(input({ maxAttempts: 2 }), 'c-3');
  const leases = new JobLeases(model, backoff, clock);
  const scheduling = new JobScheduling(model, backoff, clock);
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    expect(await leases.claim(job.id, `doomed-${attempt}`, 1_000)).toBeDefined();
    advance(1_500);
    expect(await scheduling.expireLeases(10)).toHaveLength(1);
    advance(60_000);
  }
  const stored = await model.findById(job.id).lean();
  expect(stored).toMatchObject({ status: 'FAILED', attempts: 2 });
  expect(stored?.error).toMatch(/lease expired: worker doomed-2 stopped heartbeating/);
});

test('the scheduler dispatches jobs when they come due, once, and again only when stale', async () => {
  const store = new JobStore(model, clock);
  const scheduling = new JobScheduling(model, backoff, clock);
  const later = new Date(now.getTime() + 10_000).toISOString();
  const { job } = await store.enqueue(input({ runAt: later }), 'c-4');
  const pendingDispatches = async () =>
    ((await model.findById(job.id).lean())?.outbox ?? []).filter((entry) => entry.destination === 'command')
      .length;

  expect(await pendingDispatches()).toBe(0); // not due yet: no dispatch at enqueue
  expect(await scheduling.dispatchDue(100, 60_000)).toHaveLength(0);
  advance(10_000);
  expect(await scheduling.dispatchDue(100, 60_000)).toHaveLength(1);
  expect(await scheduling.dispatchDue(100, 60_000)).toHaveLength(0); // already dispatched
  expect(await pendingDispatches()).toBe(1);
  advance(61_000); // nobody claimed it for a minute: the dispatch message must have been lost
  expect(await scheduling.dispatchDue(100, 60_000)).toHaveLength(1);
});

test('among jobs due together, the scheduler dispatches higher priority first', async () => {
  const store = new JobStore(model, clock);
  const scheduling = new JobScheduling(model, backoff, clock);
  const runAt = new Date(now.getTime() + 1_000).toISOString();
  const low = await store.enqueue(input({ runAt, priority: -5 }), 'c-5');
  const high = await store.enqueue(input({ runAt, priority: 50 }), 'c-6');
  const normal = await store.enqueue(input({ runAt }), 'c-7');
  advance(1_000);
  const dispatchedIds = async () =>
    (await model.find({ dispatchedAt: { $ne: null } }, { _id: 1 }).lean()).map((job) => job._id);
  expect(await scheduling.dispatchDue(1, 60_000)).toHaveLength(1);
  expect(await dispatchedIds()).toEqual([high.job.id]);
  expect(await scheduling.dispatchDue(1, 60_000)).toHaveLength(1);
  expect((await dispatchedIds()).sort()).toEqual([high.job.id, normal.job.id].sort());
  expect(await scheduling.dispatchDue(1, 60_000)).toHaveLength(1);
  expect(await dispatchedIds()).toContain(low.job.id);
});
