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

/** Claims a job that must be claimable, and returns the claim. */
async function claimed(leases: JobLeases, jobId: string, workerId: string, leaseMs: number) {
  const attempt = await leases.claim(jobId, workerId, leaseMs);
  if (attempt.status !== 'claimed') throw new Error(`expected to claim ${jobId}, got ${attempt.status}`);
  return attempt.claim;
}

const OPERATOR = { kind: 'user', id: 'u-operator', name: 'Operator' } as const;

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
  const { job } = await new JobStore(model, clock).enqueue(input(), 'c-1', OPERATOR);
  const leases = new JobLeases(model, backoff, clock);
  const claims = await Promise.all(
    ['w1', 'w2', 'w3', 'w4'].map((worker) => leases.claim(job.id, worker, 5_000)),
  );
  expect(claims.filter((claim) => claim.status === 'claimed')).toHaveLength(1);
  const stored = await model.findById(job.id).lean();
  expect(stored).toMatchObject({ status: 'RUNNING', attempts: 1 });
});

test('a worker that lost its lease cannot overwrite the result of the worker that took over (fencing)', async () => {
  const store = new JobStore(model, clock);
  const { job } = await store.enqueue(input(), 'c-2', OPERATOR);
  const leases = new JobLeases(model, backoff, clock);
  const scheduling = new JobScheduling(model, backoff, clock);

  const slow = await claimed(leases, job.id, 'slow-worker', 5_000);
  advance(6_000); // slow-worker stopped heartbeating (GC pause, partition...)
  expect(await scheduling.expireLeases(10)).toHaveLength(1);
  expect(await leases.heartbeat(slow, 5_000)).toBe('lost');

  advance(backoff.baseMs); // the retry comes due
  const fresh = await claimed(leases, job.id, 'fresh-worker', 5_000);
  expect(await leases.record(fresh, { outcome: 'success', result: { by: 'fresh' } })).toBe('recorded');
  // The slow worker wakes up and tries to write its (now stale) outcome.
  expect(await leases.record(slow, { outcome: 'success', result: { by: 'slow' } })).toBe('lease-lost');

  const stored = await store.get(job.id);
  expect(stored).toMatchObject({ status: 'SUCCESS', result: { by: 'fresh' }, attempts: 2 });
  expect(stored.history.map((attempt) => [attempt.workerId, attempt.outcome])).toEqual([
    ['slow-worker', 'lease_expired'],
    ['fresh-worker', 'success'],
  ]);
});

test('a job whose worker keeps dying ends FAILED after maxAttempts instead of looping forever', async () => {
  const { job } = await new JobStore(model, clock).enqueue(input({ maxAttempts: 2 }), 'c-3', OPERATOR);
  const leases = new JobLeases(model, backoff, clock);
  const scheduling = new JobScheduling(model, backoff, clock);
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    await claimed(leases, job.id, `doomed-${attempt}`, 1_000);
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
  const { job } = await store.enqueue(input({ runAt: later }), 'c-4', OPERATOR);
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
  const low = await store.enqueue(input({ runAt, priority: -5 }), 'c-5', OPERATOR);
  const high = await store.enqueue(input({ runAt, priority: 50 }), 'c-6', OPERATOR);
  const normal = await store.enqueue(input({ runAt }), 'c-7', OPERATOR);
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

/**
 * The model, with `landsFirst` run once just before the first updateOne: another process's
 * write landing between this one's read and its write.
 */
function withWriteBetweenReadAndUpdate(target: JobModel, landsFirst: () => Promise<unknown>): JobModel {
  let pending: (() => Promise<unknown>) | undefined = landsFirst;
  return new Proxy(target, {
    get(model, property) {
      if (property === 'updateOne')
        return async (...args: Parameters<JobModel['updateOne']>) => {
          const interloper = pending;
          pending = undefined;
          await interloper?.();
          return model.updateOne(...args);
        };
      const value = Reflect.get(model, property);
      return typeof value === 'function' ? value.bind(model) : value;
    },
  });
}

test('a heartbeat landing between the scheduler reading an expired lease and writing it wins', async () => {
  const { job } = await new JobStore(model, clock).enqueue(input(), 'c-8', OPERATOR);
  const leases = new JobLeases(model, backoff, clock);
  const claim = await claimed(leases, job.id, 'late-beater', 5_000);
  advance(5_001);
  const scheduling = new JobScheduling(
    withWriteBetweenReadAndUpdate(model, () => leases.heartbeat(claim, 5_000)),
    backoff,
    clock,
  );
  expect(await scheduling.expireLeases(10)).toEqual([]);
  expect(await model.findById(job.id).lean()).toMatchObject({ status: 'RUNNING', lockedBy: 'late-beater' });
  expect(await leases.heartbeat(claim, 5_000)).toBe('held');
});

test('a cancel landing between the scheduler reading an expired lease and writing it is not lost or carried over', async () => {
  const store = new JobStore(model, clock);
  const { job } = await store.enqueue(input(), 'c-9', OPERATOR);
  const leases = new JobLeases(model, backoff, clock);
  await claimed(leases, job.id, 'vanished', 5_000);
  advance(5_001);
  const racing = new JobScheduling(
    withWriteBetweenReadAndUpdate(model, () => store.cancel(job.id)),
    backoff,
    clock,
  );
  expect(await racing.expireLeases(10)).toEqual([]); // read before the cancel: its write must miss
  expect(await new JobScheduling(model, backoff, clock).expireLeases(10)).toEqual([job.id]);
  expect(await model.findById(job.id).lean()).toMatchObject({ status: 'CANCELED', cancelRequested: false });
});

test('a worker whose clock runs behind claims a job due within the skew allowance', async () => {
  const { job } = await new JobStore(model, clock).enqueue(input(), 'c-11', OPERATOR);
  const behind = new JobLeases(model, backoff, () => new Date(now.getTime() - 3_000));
  expect((await behind.claim(job.id, 'behind', 5_000, 5_000)).status).toBe('claimed');
});

test('a job not yet due by the worker clock is handed back to the scheduler, not dropped', async () => {
  const { job } = await new JobStore(model, clock).enqueue(input(), 'c-12', OPERATOR);
  const scheduling = new JobScheduling(model, backoff, clock);
  expect((await model.findById(job.id).lean())?.dispatchedAt).not.toBeNull(); // dispatched at enqueue
  const farBehind = new JobLeases(model, backoff, () => new Date(now.getTime() - 60_000));
  expect(await farBehind.claim(job.id, 'far-behind', 5_000, 5_000)).toEqual({
    status: 'not-due',
    dueInMs: 60_000,
  });
  expect(await model.findById(job.id).lean()).toMatchObject({ status: 'QUEUED', dispatchedAt: null });
  // The scheduler sends it again on its next pass, not after REDISPATCH_AFTER_MS.
  expect(await scheduling.dispatchDue(10, 10 * 60_000)).toEqual([job.id]);
});

test('an interrupted attempt puts the job back QUEUED and dispatched, without counting it; fenced', async () => {
  const { job } = await new JobStore(model, clock).enqueue(input({ maxAttempts: 1 }), 'c-13', OPERATOR);
  const leases = new JobLeases(model, backoff, clock);
  const claim = await claimed(leases, job.id, 'leaving', 5_000);
  await model.updateOne({ _id: job.id }, { $set: { outbox: [] } }); // as if the relay published
  expect(await leases.interrupt(claim)).toBe('recorded');
  const stored = await model.findById(job.id).lean();
  expect(stored).toMatchObject({
    status: 'QUEUED',
    attempts: 0,
    leaseToken: null,
    lockedBy: null,
    cancelRequested: false,
    nextRunAt: now,
  });
  expect(stored?.history).toEqual([
    expect.objectContaining({ attempt: 1, outcome: 'interrupted', error: 'interrupted by shutdown' }),
  ]);
  expect(stored?.outbox.map((entry) => entry.routingKey)).toEqual([
    'jobs.job.retry_scheduled.v1',
    'job-runner.dispatch',
  ]);
  expect(await leases.interrupt(claim)).toBe('lease-lost');
  // The attempt given back: a one-attempt job can still run.
  expect((await leases.claim(job.id, 'next', 5_000)).status).toBe('claimed');
});
