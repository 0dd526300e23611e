import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { type JobHandler, type JobKindSpec, PermanentJobError } from '../src/handlers/handler.js';
import { jobKinds } from '../src/handlers/job-kinds.js';
import { createNoopHandler } from '../src/handlers/noop-handler.js';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

/**
 * The life of a job through the real API, broker, database and an in-process worker whose
 * handlers each test controls.
 */
let env: JobRunnerEnv;
let api: string;
const calls = new Map<string, number>();
const seenSignals = new Map<string, AbortSignal>();

const count = (key: string) => {
  const next = (calls.get(key) ?? 0) + 1;
  calls.set(key, next);
  return next;
};

const handlers: Record<string, JobHandler> = {
  noop: createNoopHandler(),
  // Fails `payload.failures` times, then succeeds.
  flaky: async ({ job }) => {
    const call = count(job.id);
    if (call <= Number(job.payload.failures ?? Number.POSITIVE_INFINITY)) throw new Error(`boom ${call}`);
    return { outcome: 'success', result: { call } };
  },
  broken: async () => {
    throw new PermanentJobError('payload names no artifact');
  },
  // Runs until aborted.
  endless: async ({ job, signal }) => {
    seenSignals.set(job.id, signal);
    await sleep(60_000, undefined, { signal });
    return { outcome: 'success' };
  },
  // Asks for a person unless given `approved: true`.
  review: async ({ job }) =>
    job.payload.approved === true
      ? { outcome: 'success', result: { approvedBy: job.payload.approvedBy } }
      : { outcome: 'needs_human', reason: 'a reviewer must approve the build' },
};

const anyPayload: JobKindSpec = { payload: z.record(z.string(), z.unknown()) };
const kinds = {
  noop: jobKinds.noop,
  flaky: anyPayload,
  broken: anyPayload,
  endless: anyPayload,
  review: {
    ...anyPayload,
    resume: {
      input: z.strictObject({ approved: z.boolean(), approvedBy: z.string() }),
      merge: (payload, input) => ({ ...payload, ...input }),
    },
  },
} satisfies Record<keyof typeof handlers, JobKindSpec>;

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  api = await env.startApi({}, kinds);
  await env.startWorker(handlers);
});
afterAll(() => env.close());

let sequence = 0;
async function enqueue(
  kind: string,
  payload: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  sequence += 1;
  const response = await postJson(`${api}/jobs`, {
    projectId: 'p-life',
    stage: '3_build',
    kind,
    idempotencyKey: `life-${sequence}`,
    payload,
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

test('a job runs to SUCCESS and every transition is published as an event', async () => {
  const events = await env.subscribe('jobs.job.*.v1');
  const id = await enqueue('noop', { hello: 'world' });
  const done = await jobInState(id, 'SUCCESS');
  expect(done).toMatchObject({ attempts: 1, result: { echoed: { hello: 'world' } }, lockedBy: null });
  expect(done.history).toEqual([expect.objectContaining({ attempt: 1, outcome: 'success' })]);
  await waitFor(
    () => events.filter((event) => event.body.payload.jobId === id).length === 3,
    10_000,
    'events',
  );
  expect(events.filter((event) => event.body.payload.jobId === id).map((event) => event.routingKey)).toEqual([
    'jobs.job.queued.v1',
    'jobs.job.started.v1',
    'jobs.job.succeeded.v1',
  ]);
});

test('failures retry with growing backoff, then succeed; the history keeps every attempt', async () => {
  const id = await enqueue('flaky', { failures: 2 });
  const done = await jobInState(id, 'SUCCESS');
  const history = done.history as { outcome: string; error?: string; startedAt: string }[];
  expect(history.map((attempt) => attempt.outcome)).toEqual(['failed', 'failed', 'success']);
  expect(history[0]?.error).toBe('Error: boom 1');
  expect(done.retries).toBe(2);
  const [first, second, third] = history.map((attempt) => Date.parse(attempt.startedAt)) as [
    number,
    number,
    number,
  ];
  // BACKOFF_BASE_MS=100: at least 50 ms before the first retry, 100 ms before the second.
  expect(second - first).toBeGreaterThanOrEqual(50);
  expect(third - second).toBeGreaterThanOrEqual(100);
});

test('after maxAttempts the job is FAILED with its last error and dead-lettered', async () => {
  const events = await env.subscribe('jobs.job.*.v1');
  const id = await enqueue('flaky', {}, { maxAttempts: 3 });
  const failed = await jobInState(id, 'FAILED');
  expect(failed).toMatchObject({ attempts: 3, error: 'Error: boom 3', retries: 2 });
  expect(failed.deadLetteredAt).toEqual(expect.any(String));
  const parked = await waitFor(
    async () => {
      const messages = (await env.drain('job-runner.dead-letter')).map((message) =>
        JSON.parse(message.content.toString()),
      );
      return messages.find((message) => message.payload.jobId === id);
    },
    10_000,
    'dead-lettered job',
  );
  expect(parked.payload).toMatchObject({ error: 'Error: boom 3', attempt: 3 });
  await waitFor(() =>
    events.some((event) => event.body.payload.jobId === id && event.routingKey === 'jobs.job.failed.v1'),
  );
  const retries = events.filter(
    (event) => event.body.payload.jobId === id && event.routingKey === 'jobs.job.retry_scheduled.v1',
  );
  expect(retries).toHaveLength(2);
});

test('a permanent error fails the job at once, without retries', async () => {
  const id = await enqueue('broken', {}, { maxAttempts: 5 });
  const failed = await jobInState(id, 'FAILED');
  expect(failed).toMatchObject({
    attempts: 1,
    retries: 0,
    error: 'PermanentJobError: payload names no artifact',
  });
});

test('a FAILED job can be retried; retrying anything else is a 409 with the current state', async () => {
  const id = await enqueue('flaky', { failures: 1 }, { maxAttempts: 1 });
  await jobInState(id, 'FAILED');
  const retried = await postJson(`${api}/jobs/${id}/retry`, {});
  expect(retried.status).toBe(200);
  const done = await jobInState(id, 'SUCCESS');
  expect((done.history as unknown[]).length).toBe(2);
  const again = await postJson(`${api}/jobs/${id}/retry`, {});
  expect(again.status).toBe(409);
  expect(again.body).toMatchObject({ error: 'conflict', details: { status: 'SUCCESS' } });
});

test('cancel: a QUEUED job at once, a RUNNING one through its AbortSignal; finished ones are 409', async () => {
  const later = await enqueue('noop', {}, { runAt: '2999-01-01T00:00:00Z' });
  const canceledNow = await postJson(`${api}/jobs/${later}/cancel`, {});
  expect(canceledNow.status).toBe(200);
  expect(canceledNow.body.status).toBe('CANCELED');

  const running = await enqueue('endless');
  await jobInState(running, 'RUNNING');
  const requested = await postJson(`${api}/jobs/${running}/cancel`, {});
  expect(requested.status).toBe(202);
  const canceled = await jobInState(running, 'CANCELED', 10_000);
  expect(seenSignals.get(running)?.aborted).toBe(true);
  expect(canceled.history).toEqual([expect.objectContaining({ outcome: 'canceled' })]);

  const again = await postJson(`${api}/jobs/${running}/cancel`, {});
  expect(again.status).toBe(409);
  expect(again.body.details).toMatchObject({ status: 'CANCELED' });
});

test('NEEDS_HUMAN keeps the reason; resume with added input runs it again', async () => {
  const id = await enqueue('review', { build: 7 });
  const waiting = await jobInState(id, 'NEEDS_HUMAN');
  expect(waiting.needsHumanReason).toBe('a reviewer must approve the build');
  expect((await postJson(`${api}/jobs/${id}/retry`, {})).status).toBe(409);
  const resumed = await postJson(`${api}/jobs/${id}/resume`, {
    input: { approved: true, approvedBy: 'dana' },
  });
  expect(resumed.status).toBe(200);
  const done = await jobInState(id, 'SUCCESS');
  expect(done.result).toEqual({ approvedBy: 'dana' });
  expect(done.payload).toEqual({ build: 7, approved: true, approvedBy: 'dana' });
  expect((await postJson(`${api}/jobs/${id}/resume`, {})).status).toBe(409);
  expect((await postJson(`${api}/jobs/${id}/resume`, { input: 'nope' })).status).toBe(400);
});

test('stats count jobs per status and kind, retries and dead letters', async () => {
  const { body } = await getJson(`${api}/jobs/stats`);
  expect(body.byStatus).toMatchObject({ SUCCESS: expect.any(Number), FAILED: expect.any(Number) });
  expect((body.byKind as Record<string, Record<string, number>>).flaky?.SUCCESS).toBeGreaterThanOrEqual(2);
  expect(body.retriesScheduled).toBeGreaterThanOrEqual(4);
  expect(body.deadLettered).toBeGreaterThanOrEqual(2);
  expect(body).toHaveProperty('oldestQueuedAgeMs');
});
