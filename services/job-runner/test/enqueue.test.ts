import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

let env: JobRunnerEnv;
let api: string;

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  api = await env.startApi();
});
afterAll(() => env.close());

const job = (overrides: Record<string, unknown> = {}) => ({
  projectId: 'p-1',
  stage: '3_build' as const,
  kind: 'noop',
  idempotencyKey: `key-${Math.random()}`,
  ...overrides,
});

test('enqueue creates a QUEUED job (201) and the same idempotency key returns it again (200)', async () => {
  const first = await postJson(`${api}/jobs`, job({ idempotencyKey: 'build-p-1' }));
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ status: 'QUEUED', attempts: 0, maxAttempts: 5, projectId: 'p-1' });
  const again = await postJson(`${api}/jobs`, job({ idempotencyKey: 'build-p-1' }));
  expect(again.status).toBe(200);
  expect(again.body.id).toBe(first.body.id);
});

test('50 concurrent enqueues with one idempotency key make exactly one job', async () => {
  const responses = await Promise.all(
    Array.from({ length: 50 }, () => postJson(`${api}/jobs`, job({ idempotencyKey: 'concurrent-key' }))),
  );
  expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
  expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
  expect(responses.filter((response) => response.status === 200)).toHaveLength(49);
  const jobs = await env.jobs();
  expect(await jobs.countDocuments({ idempotencyKey: 'concurrent-key' })).toBe(1);
});

test('a malformed body is a 400 naming each bad field, and stores nothing', async () => {
  const jobs = await env.jobs();
  const before = await jobs.countDocuments();
  const response = await postJson(`${api}/jobs`, {
    projectId: '',
    stage: '9_nope',
    kind: 'noop',
    maxAttempts: 0,
  });
  expect(response.status).toBe(400);
  const paths = (response.body.issues as { path: string }[]).map((issue) => issue.path);
  expect(paths).toEqual(expect.arrayContaining(['projectId', 'stage', 'idempotencyKey', 'maxAttempts']));
  expect((await postJson(`${api}/jobs`, '{"broken json')).status).toBe(400);
  expect(await jobs.countDocuments()).toBe(before);
});

test('an unknown kind is a 422', async () => {
  const response = await postJson(`${api}/jobs`, job({ kind: 'teleport' }));
  expect(response.status).toBe(422);
  expect(response.body).toMatchObject({ error: 'unprocessable' });
});

test('job ids: malformed is 400, unknown is 404', async () => {
  expect((await getJson(`${api}/jobs/not-a-uuid`)).status).toBe(400);
  expect((await getJson(`${api}/jobs/7d3c1a52-8a80-4c8e-9b1e-2a7f7c0e4e11`)).status).toBe(404);
});

test('listing filters by project, stage, kind and status, newest first, with a cursor', async () => {
  for (let index = 0; index < 5; index += 1) {
    await postJson(
      `${api}/jobs`,
      job({ projectId: 'p-list', stage: '4_test', runAt: '2999-01-01T00:00:00Z' }),
    );
  }
  await postJson(
    `${api}/jobs`,
    job({ projectId: 'p-list', stage: '3_build', runAt: '2999-01-01T00:00:00Z' }),
  );
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `projectId=p-list&stage=4_test&kind=noop&status=QUEUED&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await getJson(`${api}/jobs?${query}`);
    expect(page.status).toBe(200);
    const items = page.body.items as { id: string; stage: string; createdAt: string }[];
    expect(items.length).toBeLessThanOrEqual(2);
    for (const item of items) expect(item.stage).toBe('4_test');
    seen.push(...items.map((item) => item.id));
    cursor = page.body.nextCursor as string | null;
  } while (cursor);
  expect(seen).toHaveLength(5);
  expect(new Set(seen).size).toBe(5);
  expect((await getJson(`${api}/jobs?cursor=garbage`)).status).toBe(400);
  expect((await getJson(`${api}/jobs?status=DONE`)).status).toBe(400);
});

test('the enqueue command creates a job; a malformed one or an unknown kind is dead-lettered with a reason', async () => {
  const { enqueueJobCommand } = await import('@delivery/contracts');
  const amqp = (await import('amqplib')).default;
  const connection = await amqp.connect(env.vhost.url);
  const channel = await connection.createConfirmChannel();
  const send = (body: unknown) =>
    channel.sendToQueue(enqueueJobCommand.queue, Buffer.from(JSON.stringify(body)), { persistent: true });
  send(enqueueJobCommand.create({ ...job(), idempotencyKey: 'via-command' }));
  send({ type: enqueueJobCommand.queue, nonsense: true });
  send(enqueueJobCommand.create({ ...job(), idempotencyKey: 'unknown-kind', kind: 'teleport' }));
  await channel.waitForConfirms();
  await connection.close();

  const jobs = await env.jobs();
  await waitFor(() => jobs.exists({ idempotencyKey: 'via-command' }), 10_000, 'job from the command');
  const dead = await waitFor(
    async () => {
      const messages = await env.drain(`${enqueueJobCommand.queue}.dlq`);
      return messages.length === 2 ? messages : undefined;
    },
    10_000,
    'two dead letters',
  );
  const reasons = dead.map((message) => String(message.properties.headers?.['x-dead-letter-reason']));
  expect(reasons).toEqual([
    expect.stringMatching(/^schema validation failed: id: .*/),
    'UnprocessableMessageError: unknown job kind "teleport"',
  ]);
  expect(await jobs.exists({ idempotencyKey: 'unknown-kind' })).toBeNull();
});
