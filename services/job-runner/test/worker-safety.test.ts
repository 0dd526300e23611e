import { setTimeout as sleep } from 'node:timers/promises';
import { requiredEnv } from '@delivery/testing';
import { z } from 'zod';
import type { JobHandler, JobKindSpec } from '../src/handlers/handler.js';
import { createNoopHandler } from '../src/handlers/noop-handler.js';
import { CuttableProxy } from './cuttable-proxy.js';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

/**
 * What keeps one job from running twice or getting stuck, through the real API, broker and
 * database: worker clocks that run behind, a worker cut off from the database, results too big
 * to store.
 */
let env: JobRunnerEnv;
let api: string;

const anyPayload: JobKindSpec = { payload: z.record(z.string(), z.unknown()) };
const kinds = { noop: anyPayload, slow: anyPayload, huge: anyPayload, unstorable: anyPayload };

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
  const mongo = new URL(requiredEnv('MONGO_URL'));
  const proxy = await CuttableProxy.start(mongo.hostname, Number(mongo.port));
  env.onClose(() => proxy.stop());
  const viaProxy = new URL(mongo);
  viaProxy.host = `127.0.0.1:${proxy.port}`;

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
  await env.startWorker({ slow: slow('cut-off') }, { WORKER_ID: 'cut-off', MONGO_URL: viaProxy.href });
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

test('an outcome the store refuses fails the attempt instead of leaving the job RUNNING', async () => {
  // Valid JSON, but BSON refuses keys with a NUL byte: the write itself fails.
  await env.startWorker(
    { unstorable: async () => ({ outcome: 'success', result: { 'bad\u0000key': 1 } }) },
    { LEASE_MS: 60_000, HEARTBEAT_MS: 5_000 },
  );
  const failed = await jobInState(await enqueue('unstorable', { maxAttempts: 1 }), 'FAILED');
  expect(failed.error).toMatch(/^could not store the outcome: /);
  expect(failed.history).toEqual([expect.objectContaining({ outcome: 'failed' })]);
});
