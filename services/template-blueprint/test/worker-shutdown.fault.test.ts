import { exited, getJson, postJson, waitFor } from '@delivery/testing';
import { FakeLlm } from './fake-llm.js';
import { BlueprintEnv, sampleTemplate } from './harness.js';

/**
 * A rolling deploy: a generator worker gets SIGTERM in the middle of a generation that outlasts
 * its drain. The run must go back to the queue at once, its attempt not counted, not wait for
 * its lease to run out.
 */
let env: BlueprintEnv;
let llm: FakeLlm;

beforeAll(async () => {
  llm = await new FakeLlm().start();
  llm.mode = 'hang'; // the generation outlasts any drain
  env = await BlueprintEnv.create();
});
afterAll(async () => {
  await env.close();
  await llm.stop();
});

test('SIGTERM mid-run: after the drain the run is queued again, attempt not counted; the next worker completes it', async () => {
  const api = await env.startApi({ LLM_BASE_URL: llm.url });
  // The lease is far longer than the test waits: only the hand-back can put the run back in time.
  const workerEnv = {
    LLM_BASE_URL: llm.url,
    LLM_TIMEOUT_MS: 120_000,
    LEASE_MS: 120_000,
    HEARTBEAT_MS: 500,
    WORKER_DRAIN_MS: 500,
  };
  const leaving = env.spawnWorker({ ...workerEnv, WORKER_ID: 'leaving' });
  const templateId = (await postJson(`${api}/api/templates`, sampleTemplate())).body.id;
  const runId = (
    await postJson(`${api}/api/templates/${templateId}/blueprint/generate`, { generator: 'llm' })
  ).body.id;

  await waitFor(async () => llm.calls > 0, 60_000, 'the worker to call the generator');
  expect((await getJson(`${api}/api/blueprint-runs/${runId}`)).body).toMatchObject({
    status: 'running',
    lockedBy: 'leaving',
    attempt: 1,
  });
  leaving.kill('SIGTERM');
  const givenBack = await waitFor(
    async () => {
      const { body } = await getJson(`${api}/api/blueprint-runs/${runId}`);
      return body.status === 'queued' ? body : undefined;
    },
    30_000,
    'the run to be given back to the queue',
  );
  expect(givenBack).toMatchObject({ attempt: 0, lockedBy: null, errorCode: 'worker_shutdown' });
  expect(await exited(leaving)).toBe(0);

  llm.mode = 'valid';
  env.spawnWorker({ ...workerEnv, WORKER_ID: 'next' });
  const run = await waitFor(
    async () => {
      const { body } = await getJson(`${api}/api/blueprint-runs/${runId}`);
      return body.status === 'succeeded' ? body : undefined;
    },
    40_000,
    'the next worker to complete the run',
  );
  expect(run).toMatchObject({ attempt: 1, lockedBy: null, errorCode: null });
});
