import { exited, freePort, getJson, JobRunnerEnv, postJson, ready, waitFor } from './harness.js';

/** A rolling deploy: a worker process told to stop (SIGTERM) while its job is still running. */
let env: JobRunnerEnv;
let api: string;

beforeEach(async () => {
  env = await JobRunnerEnv.create();
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  env.spawnProcess('main', { PORT: port });
});
afterEach(() => env.close());

test('SIGTERM: a job still running after the drain goes back QUEUED at once, its attempt not counted', async () => {
  // A lease far longer than the test: only the shutdown path can put the job back in time.
  const leaving = env.spawnProcess('worker', {
    WORKER_ID: 'leaving',
    LEASE_MS: 120_000,
    HEARTBEAT_MS: 1_000,
    WORKER_DRAIN_MS: 500,
  });
  await ready(api);
  const response = await postJson(`${api}/jobs`, {
    projectId: 'p-deploy',
    stage: '3_build',
    kind: 'noop',
    idempotencyKey: `deploy-${Date.now()}`,
    payload: { sleepMs: 10 * 60_000 },
    // One attempt: a counted interruption would fail the job for good.
    maxAttempts: 1,
  });
  expect(response.status).toBe(201);
  const id = response.body.id as string;
  await waitFor(
    async () => (await getJson(`${api}/jobs/${id}`)).body.status === 'RUNNING',
    // Includes the worker's start, which on a loaded machine has taken over 20 s.
    90_000,
    'the job to run on the leaving worker',
  );

  leaving.kill('SIGTERM');
  expect(await exited(leaving)).toBe(0);
  const { body: requeued } = await getJson(`${api}/jobs/${id}`);
  expect(requeued).toMatchObject({ status: 'QUEUED', attempts: 0, lockedBy: null, leaseExpiresAt: null });
  expect(requeued.history).toEqual([
    expect.objectContaining({
      workerId: 'leaving',
      outcome: 'interrupted',
      error: 'interrupted by shutdown',
    }),
  ]);

  // It was dispatched again: the next worker picks it up without waiting for the scheduler's
  // 10-minute re-dispatch.
  await env.startWorker(
    { noop: async () => ({ outcome: 'success', result: { by: 'next' } }) },
    { WORKER_ID: 'next' },
  );
  const done = await waitFor(
    async () => {
      const { body } = await getJson(`${api}/jobs/${id}`);
      return body.status === 'SUCCESS' ? body : undefined;
    },
    30_000,
    'the job to succeed on the next worker',
  );
  expect(done.attempts).toBe(1);
  expect(
    (done.history as { workerId: string; outcome: string }[]).map((a) => [a.workerId, a.outcome]),
  ).toEqual([
    ['leaving', 'interrupted'],
    ['next', 'success'],
  ]);
});

test('SIGTERM: a job whose handler ignores the abort keeps its lease; it is not run again while that process lives', async () => {
  // Heartbeats keep the lease while the process lives; after it exits, the lease runs out.
  const stubborn = env.spawnStubbornWorker({
    WORKER_ID: 'stubborn',
    LEASE_MS: 5_000,
    HEARTBEAT_MS: 500,
    WORKER_DRAIN_MS: 500,
  });
  await ready(api);
  const response = await postJson(`${api}/jobs`, {
    projectId: 'p-deploy',
    stage: '3_build',
    kind: 'noop',
    idempotencyKey: `stubborn-${Date.now()}`,
    payload: {},
    maxAttempts: 2,
  });
  expect(response.status).toBe(201);
  const id = response.body.id as string;
  await waitFor(
    async () => (await getJson(`${api}/jobs/${id}`)).body.status === 'RUNNING',
    90_000,
    'the job to run on the stubborn worker',
  );

  stubborn.kill('SIGTERM');
  await exited(stubborn);
  // Its handler was still running when the process exited: the job was not handed back.
  const { body: held } = await getJson(`${api}/jobs/${id}`);
  expect(held).toMatchObject({ status: 'RUNNING', attempts: 1, lockedBy: 'stubborn' });
  expect(held.history).toEqual([expect.not.objectContaining({ outcome: expect.anything() })]);

  // Once the lease runs out, the usual expiry path hands the job on.
  await env.startWorker(
    { noop: async () => ({ outcome: 'success', result: { by: 'next' } }) },
    { WORKER_ID: 'next' },
  );
  const done = await waitFor(
    async () => {
      const { body } = await getJson(`${api}/jobs/${id}`);
      return body.status === 'SUCCESS' ? body : undefined;
    },
    60_000,
    'the job to succeed on the next worker',
  );
  expect(
    (done.history as { workerId: string; outcome: string }[]).map((a) => [a.workerId, a.outcome]),
  ).toEqual([
    ['stubborn', 'lease_expired'],
    ['next', 'success'],
  ]);
});
