import { setTimeout as sleep } from 'node:timers/promises';
import { CuttableProxy, requiredEnv } from '@delivery/testing';
import { z } from 'zod';
import type { JobHandler, JobKindSpec } from '../src/handlers/handler.js';
import { createNoopHandler } from '../src/handlers/noop-handler.js';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

/**
 * What keeps one job from running twice or getting stuck, through the real API, broker and
 * database: worker clocks that run behind, a worker cut off from the database, results too big
 * to store.
 */
let env: JobRunnerEnv;
let api: string;

const anyPayload: JobKindSpec = { payload: z.record(z.string(), z.unknown()) };
const kinds = {
  noop: anyPayload,
  slow: anyPayload,
  huge: anyPayload,
  unstorable: anyPayload,
  deep: anyPayload,
  dollar: anyPayload,
};

beforeEach(async () => {
  env = await JobRunnerEnv.create();
  api = await env.startApi({}, kinds);
});
afterEach(() => env.close());

let sequence = 0;
async function enqueue(kind: keyof typeof kinds, extra: Record<string, unknown> = {}): Promise<string> {
  sequence += 1;
  const response = await postJson(`${api}/jobs`, {
    projectId: 'p-safety',
    stage: '3_build',
    kind,
    idempotencyKey: `safety-${sequence}-${Date.now()}`,
    payload: {},
    ...extra,
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

async function jobInState(id: string, status: string, timeoutMs = 20_000) {
  return waitFor(
    async () => {
      const { body } = await getJson(`${api}/jobs/${id}`);
      return body.status === status ? body : undefined;
    },
    timeoutMs,
    `job ${id} to be ${status}`,
  );
}

/** The database behind a proxy a test can cut, as a network partition would. */
async function cutOffDatabase() {
  const mongo = new URL(requiredEnv('MONGO_URL'));
  const proxy = await CuttableProxy.start(mongo.hostname, Number(mongo.port));
  env.onClose(() => proxy.stop());
  const viaProxy = new URL(mongo);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  return { url: viaProxy.href, partition: () => proxy.partition(), heal: () => proxy.heal() };
}

const runningBehind = (ms: number) => () => new Date(Date.now() - ms);

// The scheduler's safety-net re-dispatch stays at its default (10 minutes), far beyond these
// tests' patience: a dispatch dropped by the worker would strand the job.
test('a worker whose clock runs behind (within the skew allowance) runs a job at once', async () => {
  await env.startWorker({ noop: createNoopHandler() }, {}, runningBehind(3_000));
  const done = await jobInState(await enqueue('noop'), 'SUCCESS');
  expect(done.attempts).toBe(1);
});

test('a worker whose clock runs behind by more than the allowance runs the job when it is due by its clock', async () => {
  await env.startWorker({ noop: createNoopHandler() }, { CLOCK_SKEW_ALLOWANCE_MS: 0 }, runningBehind(2_000));
  const done = await jobInState(await enqueue('noop'), 'SUCCESS');
  expect(done.attempts).toBe(1);
});

test('a worker cut off from the database stops its handler before another worker takes the job', async () => {
  const proxy = await cutOffDatabase();
  const runs: { worker: string; attempt: number; startedAt: number; stoppedAt?: number; reason?: string }[] =
    [];
  // The first attempt runs until stopped; later ones finish at once.
  const slow =
    (worker: string): JobHandler =>
    async ({ job, signal }) => {
      const run: (typeof runs)[number] = { worker, attempt: job.attempt, startedAt: Date.now() };
      runs.push(run);
      try {
        if (job.attempt === 1) await sleep(60_000, undefined, { signal });
      } finally {
        run.stoppedAt = Date.now();
        run.reason = signal.aborted ? String(signal.reason) : undefined;
      }
      return { outcome: 'success', result: { worker } };
    };
  await env.startWorker({ slow: slow('cut-off') }, { WORKER_ID: 'cut-off', MONGO_URL: proxy.url });
  const id = await enqueue('slow');
  await waitFor(() => runs.length === 1, 20_000, 'the first worker to start the job');

  proxy.partition();
  await env.startWorker({ slow: slow('healthy') }, { WORKER_ID: 'healthy' });
  const [first] = runs;
  await waitFor(() => first?.stoppedAt !== undefined, 20_000, 'the cut-off worker to stop its handler');
  // Back on the network, it may take the job again like any worker; the first run must be over.
  proxy.heal();
  const done = await jobInState(id, 'SUCCESS', 30_000);

  expect(first?.reason).toMatch(/JobStoppedError: no heartbeat succeeded for \d+ ms/);
  const second = runs[1];
  expect(second?.attempt).toBe(2);
  expect(first?.stoppedAt).toBeLessThanOrEqual(second?.startedAt ?? 0);
  // Nothing written for the abandoned attempt: the scheduler ended it when its lease expired.
  expect((done.history as { workerId: string; outcome: string }[]).map((a) => a.outcome)).toEqual([
    'lease_expired',
    'success',
  ]);
  expect(done.history[0].workerId).toBe('cut-off');
});

test('a worker draining for shutdown hands dispatches back: another worker runs the jobs at once, none is dead-lettered', async () => {
  const draining = await env.startDrainingWorker({ WORKER_ID: 'draining' });
  const ids = [await enqueue('noop'), await enqueue('noop')];
  // The dispatch queue retries a failed delivery twice, then dead-letters it: three rolling-deploy
  // workers in a row would strand the job until the scheduler's 10-minute re-dispatch.
  const deliveries = (id: string) => draining.received.filter((received) => received === id).length;
  await waitFor(
    () => ids.every((id) => deliveries(id) >= 3),
    30_000,
    'each dispatch to meet the drain 3 times',
  );
  await draining.leave();

  await env.startWorker({ noop: createNoopHandler() }, { WORKER_ID: 'next' });
  for (const id of ids) expect(await jobInState(id, 'SUCCESS')).toMatchObject({ attempts: 1 });
  expect(await env.drain('job-runner.dispatch.dlq')).toEqual([]);
});

test('a cut-off worker whose handler finishes after being stopped still records its result, fenced by its lease', async () => {
  const proxy = await cutOffDatabase();
  let calls = 0;
  // Stopped by the heartbeat watchdog, it finishes its work anyway (and the network comes back).
  const finishing: JobHandler = async ({ signal }) => {
    calls += 1;
    if (calls === 1) {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      proxy.heal();
    }
    return { outcome: 'success', result: { call: calls } };
  };
  await env.startWorker({ slow: finishing }, { WORKER_ID: 'cut-off', MONGO_URL: proxy.url });
  const id = await enqueue('slow');
  await waitFor(() => calls === 1, 20_000, 'the worker to start the job');

  proxy.partition();
  const done = await jobInState(id, 'SUCCESS', 30_000);
  expect(done).toMatchObject({ attempts: 1, result: { call: 1 } });
  expect((done.history as { outcome: string }[]).map((a) => a.outcome)).toEqual(['success']);
  expect(calls).toBe(1);
});

test.each([
  ['nested 200 levels', 'deep', /^result cannot be stored: .*nests deeper than 32 levels/],
  ['with a $-key', 'dollar', /^result cannot be stored: .*refused key/],
] as const)(
  'a result %s fails the job for good, with the reason, without calling the handler again',
  async (_, kind, reason) => {
    let calls = 0;
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 200; level += 1) deep = { inner: deep };
    const results = { deep, dollar: { query: { $where: 'sleep(1000)' } } };
    await env.startWorker({
      [kind]: async () => {
        calls += 1;
        return { outcome: 'success', result: results[kind] };
      },
    });
    const failed = await jobInState(await enqueue(kind, { maxAttempts: 3 }), 'FAILED');
    expect(failed).toMatchObject({ attempts: 1, retries: 0, result: null });
    expect(failed.error).toMatch(reason);
    expect(calls).toBe(1);
  },
);

test('a result too large to store fails the job for good, with the reason, without waiting for the lease', async () => {
  await env.startWorker(
    { huge: async () => ({ outcome: 'success', result: { blob: 'x'.repeat(10 * 1024 * 1024) } }) },
    { LEASE_MS: 60_000, HEARTBEAT_MS: 5_000 },
  );
  const failed = await jobInState(await enqueue('huge', { maxAttempts: 3 }), 'FAILED');
  expect(failed).toMatchObject({
    attempts: 1,
    retries: 0,
    result: null,
    error: `result too large: ${10 * 1024 * 1024 + 11} bytes > limit ${256 * 1024} bytes (MAX_RESULT_BYTES)`,
  });
});

test('an outcome the store refuses fails the job for good instead of leaving it RUNNING or running it again', async () => {
  let calls = 0;
  // Passes every check made before the write (as JSON it is `{"data":{}}`), but BSON encodes it
  // with a NUL byte in a key, which it refuses: the write itself fails, and would again.
  const unstorable: JobHandler = async () => {
    calls += 1;
    return { outcome: 'success', result: { data: { toBSON: () => ({ 'bad\u0000key': 1 }) } } };
  };
  await env.startWorker({ unstorable }, { LEASE_MS: 60_000, HEARTBEAT_MS: 5_000 });
  const failed = await jobInState(await enqueue('unstorable', { maxAttempts: 3 }), 'FAILED');
  expect(failed).toMatchObject({ attempts: 1, retries: 0, result: null });
  expect(failed.error).toMatch(/^could not store the outcome: BSONError: /);
  expect(failed.history).toEqual([expect.objectContaining({ outcome: 'failed' })]);
  expect(calls).toBe(1);
});
