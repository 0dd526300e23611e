import { exited, getJson, postJson, waitFor } from '@delivery/testing';
import { FakeLlm } from './fake-llm.js';
import { BlueprintEnv, sampleTemplate } from './harness.js';

/** A generator worker SIGKILLed in the middle of a run: the run still completes, never stuck. */
let env: BlueprintEnv;
let llm: FakeLlm;

beforeAll(async () => {
  llm = await new FakeLlm().start();
  llm.mode = 'slow-valid'; // answers after 4 s: long enough to kill the worker mid-run
  env = await BlueprintEnv.create();
});
afterAll(async () => {
  await env.close();
  await llm.stop();
});

test('SIGKILL the worker mid-run: after a restart the run completes', async () => {
  const api = await env.startApi({ LLM_BASE_URL: llm.url });
  const workerEnv = { LLM_BASE_URL: llm.url, LLM_TIMEOUT_MS: 10_000, LEASE_MS: 2_000, HEARTBEAT_MS: 500 };
  const doomed = env.spawnWorker({ ...workerEnv, WORKER_ID: 'doomed' });
  const templateId = (await postJson(`${api}/api/templates`, sampleTemplate())).body.id;
  const runId = (
    await postJson(`${api}/api/templates/${templateId}/blueprint/generate`, { generator: 'llm' })
  ).body.id;

  // The waits include a worker's start, which on a loaded machine (fault files run two at a time)
  // has taken over 20 s.
  await waitFor(async () => llm.calls > 0, 90_000, 'the worker to call the generator');
  expect((await getJson(`${api}/api/blueprint-runs/${runId}`)).body).toMatchObject({
    status: 'running',
    lockedBy: 'doomed',
  });
  doomed.kill('SIGKILL');
  await exited(doomed);

  env.spawnWorker({ ...workerEnv, WORKER_ID: 'survivor' });
  const run = await waitFor(
    async () => {
      const { body } = await getJson(`${api}/api/blueprint-runs/${runId}`);
      return body.status === 'succeeded' ? body : undefined;
    },
    90_000,
    'the run to succeed after the restart',
  );
  expect(run.attempt).toBe(2);
  expect(run.lockedBy).toBeNull();
  expect((await getJson(`${api}/api/templates/${templateId}/blueprint-job`)).status).toBe(404);
});
