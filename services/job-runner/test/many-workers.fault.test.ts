import { CountingExecutor } from './counting-executor.js';
import { freePort, JobRunnerEnv, postJson, ready, waitFor } from './harness.js';

/**
 * 1,000 jobs through the real processes: one API and four worker processes. Each job calls the
 * counting executor once from its handler; a double claim or a lost job would show there.
 */
const JOBS = 1_000;
let env: JobRunnerEnv;
let executor: CountingExecutor;

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  executor = await new CountingExecutor().start();
});
afterAll(async () => {
  await env.close();
  await executor.stop();
});

test('1,000 jobs across 4 worker processes: every handler runs exactly once, every job succeeds', async () => {
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  env.spawnProcess('main', { PORT: port });
  for (let worker = 1; worker <= 4; worker += 1)
    env.spawnProcess('worker', { WORKER_ID: `w${worker}`, WORKER_CONCURRENCY: 16 });
  await ready(api);

  const ids = Array.from({ length: JOBS }, (_, index) => `job-${index}`);
  for (let start = 0; start < JOBS; start += 50) {
    const batch = ids.slice(start, start + 50).map((id) =>
      postJson(`${api}/jobs`, {
        projectId: 'p-many',
        stage: '3_build',
        kind: 'http',
        idempotencyKey: id,
        payload: { url: `${executor.url}/run/${id}` },
      }),
    );
    for (const response of await Promise.all(batch)) expect(response.status).toBe(201);
  }

  const jobs = await env.jobs();
  await waitFor(
    async () => (await jobs.countDocuments({ status: 'SUCCESS' })) === JOBS,
    240_000,
    'all jobs to succeed',
  );
  expect(executor.calls.size).toBe(JOBS);
  const repeated = [...executor.calls.entries()].filter(([, calls]) => calls !== 1);
  expect(repeated).toEqual([]);
  const workers = await jobs.distinct('history.workerId');
  expect(workers.sort()).toEqual(['w1', 'w2', 'w3', 'w4']);
  expect(await jobs.countDocuments({ attempts: { $ne: 1 } })).toBe(0);
});
