import { enqueueJobCommand } from '@delivery/contracts';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

/** What POST /jobs and the enqueue command refuse: payloads a kind cannot run, reused idempotency keys. */
let env: JobRunnerEnv;
let api: string;

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  api = await env.startApi();
});
afterAll(() => env.close());

const job = (overrides: Record<string, unknown> = {}) => ({
  projectId: 'p-val',
  stage: '4_test',
  kind: 'test',
  idempotencyKey: `val-${Math.random()}`,
  payload: { reports: [{ name: 'unit', xml: '<testsuite name="s" tests="0"/>' }] },
  ...overrides,
});
type Command = Parameters<typeof enqueueJobCommand.create>[0];
const paths = (body: { details?: { issues?: { path: string }[] } }) =>
  (body.details?.issues ?? []).map((issue) => issue.path);

test('a payload its kind cannot run is a 422 naming the paths, and nothing is stored', async () => {
  const jobs = await env.jobs();
  const before = await jobs.countDocuments();
  const noReports = await postJson(`${api}/jobs`, job({ payload: {} }));
  expect(noReports.status).toBe(422);
  expect(noReports.body).toMatchObject({ error: 'unprocessable' });
  expect(paths(noReports.body)).toEqual(['payload.reports']);

  const badHttp = await postJson(
    `${api}/jobs`,
    job({ kind: 'http', payload: { url: 'file:///etc/passwd', method: 'GET', body: {}, timeoutMs: -1 } }),
  );
  expect(badHttp.status).toBe(422);
  expect(paths(badHttp.body)).toEqual(expect.arrayContaining(['payload.url', 'payload.timeoutMs']));

  // An inherited property name is no kind either (and no 500).
  expect((await postJson(`${api}/jobs`, job({ kind: 'constructor' }))).status).toBe(422);
  expect(await jobs.countDocuments()).toBe(before);
  expect((await postJson(`${api}/jobs`, job())).status).toBe(201);
});

test('the same key with the same request answers the job again; with another request, 409 naming what differs', async () => {
  const first = await postJson(
    `${api}/jobs`,
    job({ idempotencyKey: 'reused', runAt: '2999-01-01T01:00:00+01:00' }),
  );
  expect(first.status).toBe(201);
  // Key order and the offset of the same instant do not make another request.
  const same = await postJson(`${api}/jobs`, {
    runAt: '2999-01-01T00:00:00Z',
    payload: { reports: [{ xml: '<testsuite name="s" tests="0"/>', name: 'unit' }] },
    kind: 'test',
    stage: '4_test',
    projectId: 'p-val',
    idempotencyKey: 'reused',
    maxAttempts: 5,
  });
  expect(same.status).toBe(200);
  expect(same.body.id).toBe(first.body.id);

  const other = await postJson(
    `${api}/jobs`,
    job({ idempotencyKey: 'reused', projectId: 'p-other', stage: '3_build', runAt: '2999-01-01T00:00:00Z' }),
  );
  expect(other.status).toBe(409);
  expect(other.body).toMatchObject({
    error: 'conflict',
    details: {
      idempotencyKey: 'reused',
      existingJobId: first.body.id,
      differingFields: ['projectId', 'stage'],
    },
  });
  const jobs = await env.jobs();
  expect(await jobs.countDocuments({ idempotencyKey: 'reused' })).toBe(1);
  expect((await getJson(`${api}/jobs/${first.body.id}`)).body).toMatchObject({
    projectId: 'p-val',
    stage: '4_test',
  });
});

test('the enqueue command with an invalid payload or a reused key is dead-lettered with the reason', async () => {
  const created = await postJson(`${api}/jobs`, job({ idempotencyKey: 'cmd-reused' }));
  expect(created.status).toBe(201);
  await env.sendRaw(enqueueJobCommand.queue, [
    enqueueJobCommand.create({ ...job({ idempotencyKey: 'cmd-no-reports' }), payload: {} } as Command),
    enqueueJobCommand.create({ ...job({ idempotencyKey: 'cmd-reused', projectId: 'p-else' }) } as Command),
  ]);
  const dead: { properties: { headers?: Record<string, unknown> } }[] = [];
  await waitFor(
    async () => {
      dead.push(...(await env.drain(`${enqueueJobCommand.queue}.dlq`)));
      return dead.length >= 2;
    },
    15_000,
    'two dead letters',
  );
  const reasons = dead.map((message) => String(message.properties.headers?.['x-dead-letter-reason']));
  expect(reasons.sort()).toEqual([
    expect.stringMatching(
      /^UnprocessableMessageError: idempotency key "cmd-reused" was used for job .* another projectId$/,
    ),
    expect.stringMatching(/^UnprocessableMessageError: invalid test payload: payload\.reports: /),
  ]);
  const jobs = await env.jobs();
  expect(await jobs.exists({ idempotencyKey: 'cmd-no-reports' })).toBeNull();
  expect(await jobs.countDocuments({ idempotencyKey: 'cmd-reused', projectId: 'p-val' })).toBe(1);
});

test('the enqueue command is held to the same bounds as POST /jobs: too deep or $-keyed payloads are dead-lettered', async () => {
  let deep: Record<string, unknown> = { leaf: true };
  for (let level = 0; level < 400; level += 1) deep = { next: deep };
  await env.sendRaw(enqueueJobCommand.queue, [
    enqueueJobCommand.create({
      ...job({ kind: 'noop', idempotencyKey: 'cmd-deep' }),
      payload: deep,
    } as Command),
    enqueueJobCommand.create({
      ...job({ kind: 'noop', idempotencyKey: 'cmd-dollar' }),
      payload: { filter: { $where: 'sleep(1000)' } },
    } as Command),
  ]);
  const dead: { properties: { headers?: Record<string, unknown> } }[] = [];
  await waitFor(
    async () => {
      dead.push(...(await env.drain(`${enqueueJobCommand.queue}.dlq`)));
      return dead.length >= 2;
    },
    15_000,
    'two dead letters',
  );
  const reasons = dead.map((message) => String(message.properties.headers?.['x-dead-letter-reason'])).sort();
  expect(reasons).toEqual([
    expect.stringMatching(
      /^UnprocessableMessageError: the body at payload\.filter\.\$where has a refused key/,
    ),
    expect.stringMatching(
      /^UnprocessableMessageError: the body at payload(\.next)+ nests deeper than 32 levels$/,
    ),
  ]);
  const jobs = await env.jobs();
  expect(await jobs.countDocuments({ idempotencyKey: { $in: ['cmd-deep', 'cmd-dollar'] } })).toBe(0);
  // The store took no harm: the API still stores and reads jobs.
  expect((await postJson(`${api}/jobs`, job())).status).toBe(201);
});
