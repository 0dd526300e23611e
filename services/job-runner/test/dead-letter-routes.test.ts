import { getJson, JobRunnerEnv, postJson } from './harness.js';

/** The operators' dead-letter routes are mounted on the API, over the job-runner's own queues. */
let env: JobRunnerEnv;
let api: string;

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  api = await env.startApi();
});
afterAll(() => env.close());

test('GET /dead-letters lists every dead-letter queue of the job-runner; replay refuses others', async () => {
  const { status, body } = await getJson(`${api}/dead-letters`);
  expect(status).toBe(200);
  expect(body.queues.map((queue: { queue: string }) => queue.queue).sort()).toEqual([
    'job-runner.dead-letter.dlq',
    'job-runner.dispatch.dlq',
    'job-runner.enqueue.dlq',
    'job-runner.project-events.dlq',
  ]);
  expect(await postJson(`${api}/dead-letters/job-runner.dispatch.dlq/replay`, { all: true })).toEqual({
    status: 200,
    body: { queue: 'job-runner.dispatch.dlq', replayed: [] },
  });
  expect((await postJson(`${api}/dead-letters/job-runner.dispatch/replay`, { all: true })).status).toBe(404);
});
