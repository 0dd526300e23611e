import { type JsonResponse, refusedCredentials, serviceToken, userToken } from '@delivery/testing';
import { getJson, JobRunnerEnv, postJson } from './harness.js';

/**
 * Every route but the probes needs a verified identity (401 otherwise), changes need a role
 * (403 otherwise), and a refused request changes nothing in the database.
 */
let env: JobRunnerEnv;
let api: string;
let queuedJob: string;

const enqueue = (key: string) => ({
  projectId: 'p-auth',
  stage: '3_build',
  kind: 'noop',
  idempotencyKey: key,
  // Never due: the job stays QUEUED, so a refused cancel would show.
  runAt: '2100-01-01T00:00:00Z',
});

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  api = await env.startApi();
  const created = await postJson(`${api}/jobs`, enqueue('auth-seed'));
  expect(created.status).toBe(201);
  queuedJob = created.body.id;
});
afterAll(() => env.close());

async function send(
  method: string,
  path: string,
  authorization?: string,
  body?: unknown,
): Promise<JsonResponse & { challenge: string | null }> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: await response.json(),
    challenge: response.headers.get('www-authenticate'),
  };
}

const storedJobs = async () =>
  (await (await env.jobs()).find({}, { _id: 1, status: 1, attempts: 1 }).sort({ _id: 1 }).lean()).map((job) =>
    JSON.stringify(job),
  );

test('the probes need no token', async () => {
  expect((await send('GET', '/healthz')).status).toBe(200);
  expect((await send('GET', '/readyz')).status).toBe(200);
});

describe.each(refusedCredentials('job-runner').map((credential) => [credential.what, credential] as const))(
  '401 with %s',
  (_what, { authorization }) => {
    test('on reads, changes, dead letters and unknown routes alike, and nothing changes', async () => {
      const before = await storedJobs();
      const requests: [string, string, unknown?][] = [
        ['GET', '/jobs'],
        ['GET', `/jobs/${queuedJob}`],
        ['GET', '/jobs/stats'],
        ['POST', '/jobs', enqueue('auth-refused')],
        ['POST', `/jobs/${queuedJob}/cancel`],
        ['POST', `/jobs/${queuedJob}/retry`],
        ['POST', `/jobs/${queuedJob}/resume`, { input: {} }],
        ['GET', '/dead-letters'],
        ['POST', '/dead-letters/job-runner.enqueue.dlq/replay', { all: true }],
        ['GET', '/no-such-route'],
      ];
      for (const [method, path, body] of requests) {
        expect({ request: `${method} ${path}`, ...(await send(method, path, authorization, body)) }).toEqual({
          request: `${method} ${path}`,
          status: 401,
          body: { error: 'unauthenticated', message: expect.any(String) },
          challenge: 'Bearer',
        });
      }
      expect(await storedJobs()).toEqual(before);
    });
  },
);

test('any verified caller may read; changing jobs needs admin, operator or service (403, nothing changes)', async () => {
  const nobody = `Bearer ${userToken({ roles: [] })}`;
  const manager = `Bearer ${userToken({ roles: ['delivery_manager'] })}`;
  expect((await send('GET', `/jobs/${queuedJob}`, nobody)).body.id).toBe(queuedJob);
  expect((await send('GET', '/jobs', manager)).status).toBe(200);
  expect((await send('GET', '/jobs/stats', manager)).status).toBe(200);

  const before = await storedJobs();
  for (const [method, path, body] of [
    ['POST', '/jobs', enqueue('auth-by-manager')],
    ['POST', `/jobs/${queuedJob}/cancel`],
    ['POST', `/jobs/${queuedJob}/retry`],
    ['POST', `/jobs/${queuedJob}/resume`, { input: {} }],
  ] as const) {
    expect(await send(method, path, manager, body)).toEqual({
      status: 403,
      body: {
        error: 'forbidden',
        message: expect.any(String),
        details: { requiredRoles: ['admin', 'operator', 'service'] },
      },
      challenge: null,
    });
  }
  expect(await storedJobs()).toEqual(before);
  expect((await getJson(`${api}/jobs/${queuedJob}`)).body.status).toBe('QUEUED');
});

test('a service (pipeline) may enqueue and cancel, but not touch dead letters; an operator may', async () => {
  const pipeline = serviceToken('pipeline', 'job-runner');
  const created = await postJson(`${api}/jobs`, enqueue('auth-by-pipeline'), { token: pipeline });
  expect(created.status).toBe(201);
  const canceled = await postJson(`${api}/jobs/${created.body.id}/cancel`, {}, { token: pipeline });
  expect(canceled).toMatchObject({ status: 200, body: { status: 'CANCELED' } });

  expect(await getJson(`${api}/dead-letters`, { token: pipeline })).toMatchObject({
    status: 403,
    body: { details: { requiredRoles: ['admin', 'operator'] } },
  });
  const operator = userToken({ roles: ['operator'] });
  expect((await getJson(`${api}/dead-letters`, { token: operator })).status).toBe(200);
});
