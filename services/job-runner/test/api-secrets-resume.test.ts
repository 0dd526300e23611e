import type { ReceivedEvent } from '@delivery/testing';
import { createDefectValidationHandler } from '../src/handlers/defects/defect-validation-handler.js';
import type { JobHandler, JobView } from '../src/handlers/handler.js';
import { createNoopHandler } from '../src/handlers/noop-handler.js';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

/**
 * Payload secrets are write-only, and resume accepts only a kind's declared input; through the
 * real API with the production kind declarations and an in-process worker.
 */
let env: JobRunnerEnv;
let api: string;
let events: { routingKey: string; body: ReceivedEvent }[];
const seenByWorker = new Map<string, JobView['payload']>();

// Stands in for the executor call: records what the worker got, then asks for a person.
const httpProbe: JobHandler = async ({ job }) => {
  seenByWorker.set(job.id, job.payload);
  return { outcome: 'needs_human', reason: 'look at it' };
};

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  events = await env.subscribe('jobs.job.#');
  api = await env.startApi();
  await env.startWorker({
    http: httpProbe,
    noop: createNoopHandler(),
    defect_validation: createDefectValidationHandler(),
  });
});
afterAll(() => env.close());

let sequence = 0;
async function enqueue(kind: string, payload: Record<string, unknown>) {
  sequence += 1;
  const response = await postJson(`${api}/jobs`, {
    projectId: 'p-secrets',
    stage: '5_defect_validation',
    kind,
    idempotencyKey: `secrets-${sequence}`,
    payload,
  });
  expect(response.status).toBe(201);
  return response;
}

const resume = (id: string, input: unknown) => postJson(`${api}/jobs/${id}/resume`, { input });

/** The job once its `attempts`-th run has ended, whatever the outcome; callers assert the status. */
async function settled(id: string, attempts = 1) {
  return waitFor(
    async () => {
      const { body } = await getJson(`${api}/jobs/${id}`);
      return !['QUEUED', 'RUNNING'].includes(body.status) && body.history.length >= attempts
        ? body
        : undefined;
    },
    20_000,
    `job ${id} to settle after attempt ${attempts}`,
  );
}

const SECRETS = ['Bearer s3cr3t-token', 'k3y-value', 'hunter2', 'pa55word'];
const leaked = (value: unknown) => SECRETS.filter((secret) => JSON.stringify(value).includes(secret));

test('payload secrets are stored and given to the worker, but every API output and event shows "***"', async () => {
  const payload = {
    url: 'https://bot:hunter2@executor.example/run',
    headers: { Authorization: 'Bearer s3cr3t-token', 'X-Api-Key': 'k3y-value', Accept: 'application/json' },
    body: { user: 'ci', password: 'pa55word' },
  };
  const created = await enqueue('http', payload);
  const id = created.body.id as string;
  expect(leaked(created.body)).toEqual([]);
  expect(created.body.payload).toEqual({
    url: 'https://bot:***@executor.example/run',
    headers: { Authorization: '***', 'X-Api-Key': '***', Accept: '***' },
    body: { user: 'ci', password: '***' },
  });

  const waiting = await settled(id);
  expect(waiting.status).toBe('NEEDS_HUMAN');
  expect(seenByWorker.get(id)).toEqual(payload);
  expect(leaked(waiting)).toEqual([]);
  expect(leaked((await getJson(`${api}/jobs?projectId=p-secrets`)).body)).toEqual([]);
  expect(leaked((await postJson(`${api}/jobs/${id}/cancel`, {})).body)).toEqual([]);
  expect((await (await env.jobs()).findById(id).lean())?.payload).toEqual(payload);

  // noop echoes its payload into the result, which events and reads carry.
  const noop = await enqueue('noop', { apiKey: 'k3y-value', n: 1 });
  const done = await settled(noop.body.id);
  expect(done.status).toBe('SUCCESS');
  expect(done.result).toEqual({ echoed: { apiKey: '***', n: 1 } });
  await waitFor(
    () =>
      events.some(
        (event) =>
          event.routingKey.startsWith('jobs.job.succeeded') && event.body.payload.jobId === noop.body.id,
      ),
    10_000,
    'succeeded event',
  );
  expect(leaked(events)).toEqual([]);
});

test('resume accepts only the kind’s declared input: an http job cannot be pointed elsewhere', async () => {
  const payload = { url: 'https://executor.example/run', headers: { Authorization: 'Bearer s3cr3t-token' } };
  const id = (await enqueue('http', payload)).body.id as string;
  expect((await settled(id)).status).toBe('NEEDS_HUMAN');

  const rewrite = await resume(id, {
    url: 'https://attacker.example/steal',
    headers: { Authorization: 'x' },
  });
  expect(rewrite.status).toBe(422);
  expect(rewrite.body.details.issues.map((issue: { path: string }) => issue.path)).toEqual([
    'input.url',
    'input.headers',
  ]);
  const untouched = await (await env.jobs()).findById(id).lean();
  expect(untouched).toMatchObject({ status: 'NEEDS_HUMAN', payload });

  expect((await postJson(`${api}/jobs/${id}/resume`, {})).status).toBe(200); // no input: just run again
  expect((await settled(id, 2)).status).toBe('NEEDS_HUMAN');
  expect(seenByWorker.get(id)).toEqual(payload);
});

const defect = (fingerprint: string, testCase: string) => ({
  fingerprint,
  suite: 'OrderServiceTest',
  testCase,
  type: 'failure',
  message: `${testCase} broke`,
});

async function waitingDefectValidation() {
  const { body } = await enqueue('defect_validation', {
    defects: [defect('fp-a', 'creates'), defect('fp-b', 'cancels')],
  });
  expect((await settled(body.id)).needsHumanReason).toBe('2 of 2 defects await confirmation');
  return body.id as string;
}

test('defect decisions add up over resumes until all are made', async () => {
  const id = await waitingDefectValidation();
  expect((await resume(id, { decisions: { 'fp-a': 'confirmed' } })).status).toBe(200);
  const half = await settled(id, 2);
  expect(half.needsHumanReason).toBe('1 of 2 defects await confirmation');

  expect((await resume(id, { decisions: { 'fp-b': 'rejected' } })).status).toBe(200);
  const done = await settled(id, 3);
  expect(done.status).toBe('SUCCESS');
  expect(done.payload.decisions).toEqual({ 'fp-a': 'confirmed', 'fp-b': 'rejected' });
  expect(done.result).toMatchObject({ confirmed: 1, rejected: 1, unconfirmed: 0 });
});

test('defect decisions are checked on resume: 422 naming each bad path, and the job stays waiting', async () => {
  const id = await waitingDefectValidation();
  const invalid = await resume(id, { decisions: { 'fp-a': 'maybe' }, note: 'x' });
  expect(invalid.status).toBe(422);
  expect(invalid.body.details.issues.map((issue: { path: string }) => issue.path)).toEqual([
    'input.decisions.fp-a',
    'input.note',
  ]);
  const unknown = await resume(id, { decisions: { 'fp-zz': 'confirmed' } });
  expect(unknown.status).toBe(422);
  expect(unknown.body.details.issues).toEqual([
    { path: 'payload.decisions.fp-zz', message: 'no defect has this fingerprint' },
  ]);
  const stored = await (await env.jobs()).findById(id).lean();
  expect(stored).toMatchObject({ status: 'NEEDS_HUMAN', history: [expect.anything()] });
  expect(stored?.payload).not.toHaveProperty('decisions');
});
