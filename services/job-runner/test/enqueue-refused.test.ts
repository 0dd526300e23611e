import { enqueueJobCommand } from '@delivery/contracts';
import { JobRunnerEnv, waitFor } from './harness.js';

/**
 * An enqueue command the job-runner refuses can never succeed, and its sender (the pipeline)
 * must learn so rather than wait for a job that never comes: besides the dead letter, each
 * refusal of a command that names its job is announced as `jobs.enqueue.refused.v1`.
 */
let env: JobRunnerEnv;
let refusals: Awaited<ReturnType<JobRunnerEnv['durableSubscription']>>;

type Command = Parameters<typeof enqueueJobCommand.create>[0];
const MAX_ARRAY_LENGTH = 3;

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  refusals = await env.durableSubscription('jobs.enqueue.refused.v1');
  await env.startApi({ HTTP_BODY_MAX_ARRAY_LENGTH: MAX_ARRAY_LENGTH });
});
afterAll(() => env.close());

const reports = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    name: `r${index}.xml`,
    url: `https://ci.example/${index}`,
  }));

const command = (idempotencyKey: string, overrides: Partial<Command> = {}) =>
  enqueueJobCommand.create({
    projectId: 'p-refused',
    stage: '4_test',
    kind: 'test',
    payload: { reports: reports(1) },
    idempotencyKey,
    runAt: '2100-01-01T00:00:00Z',
    ...overrides,
  });

async function deadLetters(count: number) {
  const dead: Awaited<ReturnType<JobRunnerEnv['drain']>> = [];
  await waitFor(
    async () => {
      dead.push(...(await env.drain(`${enqueueJobCommand.queue}.dlq`)));
      return dead.length >= count;
    },
    15_000,
    `${count} dead letters`,
  );
  return dead;
}

test('each refused command is announced with its project, stage, key, kind, a code and the reason; a malformed one is only dead-lettered', async () => {
  const taken = command('p-refused:4_test:1');
  await env.sendRaw(enqueueJobCommand.queue, [taken]);
  const jobs = await env.jobs();
  await waitFor(() => jobs.exists({ idempotencyKey: 'p-refused:4_test:1' }), 10_000, 'the first job');

  // A stage key someone took before stage keys were reserved: no record of who, nor of its request.
  await jobs.collection.insertOne({
    _id: 'legacy-job' as never,
    projectId: 'p-refused',
    stage: '4_test',
    kind: 'noop',
    status: 'SUCCESS',
    idempotencyKey: 'p-refused:4_test:4',
  });
  const legacy = command('p-refused:4_test:4');

  const conflicting = command('p-refused:4_test:1', { payload: { reports: reports(2) } });
  const tooMany = command('p-refused:4_test:2', { payload: { reports: reports(MAX_ARRAY_LENGTH + 1) } });
  const invalid = command('p-refused:4_test:3', { payload: { reports: [] } });
  const unknownKind = command('p-refused:3_build:1', { stage: '3_build', kind: 'teleport' });
  await env.sendRaw(enqueueJobCommand.queue, [
    conflicting,
    legacy,
    tooMany,
    invalid,
    unknownKind,
    { type: enqueueJobCommand.queue, nonsense: true },
  ]);

  const received: Awaited<ReturnType<typeof refusals.read>> = [];
  await waitFor(
    async () => {
      received.push(...(await refusals.read()));
      return received.length >= 5;
    },
    15_000,
    'five refusals',
  );
  const byKey = Object.fromEntries(received.map((event) => [event.payload.idempotencyKey, event]));
  expect(Object.keys(byKey).sort()).toEqual([
    'p-refused:3_build:1',
    'p-refused:4_test:1',
    'p-refused:4_test:2',
    'p-refused:4_test:3',
    'p-refused:4_test:4',
  ]);
  const refusal = (sent: typeof taken, code: string, reason: RegExp) => ({
    type: 'jobs.enqueue.refused.v1',
    correlationId: sent.correlationId,
    payload: {
      commandId: sent.id,
      projectId: sent.payload.projectId,
      stage: sent.payload.stage,
      kind: sent.payload.kind,
      idempotencyKey: sent.payload.idempotencyKey,
      code,
      reason: expect.stringMatching(reason),
    },
  });
  expect(byKey['p-refused:4_test:1']).toMatchObject(
    refusal(
      conflicting,
      'key_conflict',
      /^idempotency key "p-refused:4_test:1" was used for job .* payload$/,
    ),
  );
  expect(byKey['p-refused:4_test:4']).toMatchObject(
    refusal(
      legacy,
      'key_conflict',
      /^idempotency key "p-refused:4_test:4" was used for job legacy-job with another enqueuedBy$/,
    ),
  );
  expect(byKey['p-refused:4_test:2']).toMatchObject(
    refusal(tooMany, 'limits_exceeded', /payload\.reports .*more than 3 items/),
  );
  expect(byKey['p-refused:4_test:3']).toMatchObject(
    refusal(invalid, 'invalid_request', /^invalid test payload: payload\.reports: /),
  );
  expect(byKey['p-refused:3_build:1']).toMatchObject(
    refusal(unknownKind, 'invalid_request', /^unknown job kind "teleport"$/),
  );

  // Dead-lettered all the same, with their reasons, for operators; nothing else was stored.
  const dead = await deadLetters(6);
  expect(dead.map((message) => String(message.properties.headers?.['x-dead-letter-reason'])).sort()).toEqual([
    expect.stringMatching(/^UnprocessableMessageError: idempotency key "p-refused:4_test:1"/),
    expect.stringMatching(/^UnprocessableMessageError: idempotency key "p-refused:4_test:4"/),
    expect.stringMatching(/^UnprocessableMessageError: invalid test payload/),
    expect.stringMatching(/^UnprocessableMessageError: the body at payload\.reports/),
    'UnprocessableMessageError: unknown job kind "teleport"',
    expect.stringMatching(/^schema validation failed: /),
  ]);
  expect(await jobs.countDocuments({ projectId: 'p-refused' })).toBe(2);
  expect(await refusals.read()).toEqual([]);
});

test('a refused command delivered twice is announced once', async () => {
  const refused = command('p-refused:4_test:9', { payload: { reports: [] } });
  await env.sendRaw(enqueueJobCommand.queue, [refused, refused]);
  await deadLetters(2);
  const announced = await waitFor(async () => (await refusals.read())[0], 15_000, 'the refusal');
  expect(announced.payload).toMatchObject({ commandId: refused.id, code: 'invalid_request' });
  expect(await refusals.read()).toEqual([]);
});
