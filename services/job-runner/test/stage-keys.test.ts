import { serviceToken, userToken } from '@delivery/testing';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

/**
 * Stage job keys (`<project>:<stage>:<generation>`) belong to the pipeline: whoever holds one
 * drives that stage, so nobody else may take one, whether the project exists or not. Every job
 * records who enqueued it, and its events say so.
 */
let env: JobRunnerEnv;
let api: string;
let events: Awaited<ReturnType<JobRunnerEnv['subscribe']>>;

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  api = await env.startApi();
  events = await env.subscribe('jobs.job.queued.v1');
});
afterAll(() => env.close());

const job = (idempotencyKey: string) => ({
  projectId: 'p-stage',
  stage: '4_test',
  kind: 'noop',
  idempotencyKey,
  // Never due: nothing runs, the test looks only at what was stored and announced.
  runAt: '2100-01-01T00:00:00Z',
});

const STAGE_SHAPED = [
  'p-stage:4_test:1',
  // Any project, existing or not, any generation-like tail, and keys with colons of their own.
  'no-such-project:3_build:7',
  'a:b:5_defect_validation:2',
  ':3_build:1',
  'p-stage:4_test:01',
  'p-stage:4_test:1e0',
];

const storedKeys = async () =>
  (await (await env.jobs()).find({}, { idempotencyKey: 1 }).lean()).map((stored) => stored.idempotencyKey);

test.each([
  ['an admin and operator', userToken({ roles: ['admin', 'operator'] })],
  ['an operator', userToken({ roles: ['operator'] })],
  ['another service', serviceToken('hitl', 'job-runner')],
  ['a user named like the pipeline', userToken({ id: 'pipeline', name: 'pipeline', roles: ['operator'] })],
])('%s gets 403 for every stage-shaped key, and nothing is stored', async (_who, token) => {
  const before = await storedKeys();
  for (const key of STAGE_SHAPED) {
    expect({ key, ...(await postJson(`${api}/jobs`, job(key), { token })) }).toEqual({
      key,
      status: 403,
      body: {
        error: 'forbidden',
        message: expect.stringContaining('only the pipeline'),
        details: { idempotencyKey: key, reservedFor: { kind: 'service', id: 'pipeline' } },
      },
    });
  }
  expect(await storedKeys()).toEqual(before);
});

test("the pipeline's service token may use a stage key; the job and its events say the pipeline enqueued it", async () => {
  const pipeline = serviceToken('pipeline', 'job-runner');
  const created = await postJson(`${api}/jobs`, job('p-stage:4_test:1'), { token: pipeline });
  expect(created.status).toBe(201);
  const pipelineActor = { kind: 'service', id: 'pipeline', name: 'pipeline' };
  expect(created.body).toMatchObject({ idempotencyKey: 'p-stage:4_test:1', enqueuedBy: pipelineActor });
  expect((await getJson(`${api}/jobs/${created.body.id}`)).body.enqueuedBy).toEqual(pipelineActor);

  const queued = await waitFor(
    () => events.find((event) => event.body.payload.jobId === created.body.id),
    10_000,
    'the queued event',
  );
  expect(queued.body.payload).toMatchObject({ kind: 'noop', enqueuedBy: pipelineActor });
});

test('anyone who may change jobs may use any other key, and is recorded as who enqueued it', async () => {
  const operator = userToken({ id: 'u-olga', name: 'Olga', roles: ['operator'] });
  for (const key of ['p-stage:4_test', 'p-stage:9_nope:1', 'p-stage:4_test:1:x', 'my-own-key']) {
    const created = await postJson(`${api}/jobs`, job(key), { token: operator });
    expect({ key, status: created.status }).toEqual({ key, status: 201 });
    expect(created.body.enqueuedBy).toEqual({ kind: 'user', id: 'u-olga', name: 'Olga' });
  }
});
