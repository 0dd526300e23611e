import { getJson, postJson, waitFor } from '@delivery/testing';
import { FakeLlm } from './fake-llm.js';
import { BlueprintEnv, sampleTemplate } from './harness.js';

/** The `llm` generator through the real worker process, against a real (fake) provider. */
let env: BlueprintEnv;
let api: string;
let llm: FakeLlm;
let templateId: string;

beforeAll(async () => {
  llm = await new FakeLlm().start();
  env = await BlueprintEnv.create();
  api = await env.startApi({ LLM_BASE_URL: llm.url, MAX_ATTEMPTS: 2 });
  env.spawnWorker({ LLM_BASE_URL: llm.url, LLM_TIMEOUT_MS: 700, LLM_BREAKER_RESET_MS: 2_000 });
  templateId = (await postJson(`${api}/api/templates`, sampleTemplate())).body.id;
});
afterAll(async () => {
  await env.close();
  await llm.stop();
});

async function generate(): Promise<string> {
  const response = await postJson(`${api}/api/templates/${templateId}/blueprint/generate`, {
    generator: 'llm',
    force: true,
  });
  expect(response.status).toBe(202);
  return response.body.id;
}

async function finished(runId: string, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const { body } = await getJson(`${api}/api/blueprint-runs/${runId}`);
      return ['succeeded', 'failed'].includes(body.status) ? body : undefined;
    },
    timeoutMs,
    `run ${runId} to finish`,
  );
}

test('valid JSON: the run succeeds with the validated blueprint and the raw output kept', async () => {
  llm.mode = 'valid';
  const run = await finished(await generate());
  expect(run).toMatchObject({ status: 'succeeded', generator: 'llm', attempt: 1 });
  expect(run.blueprint.generator).toBe('llm');
  expect(run.blueprint.requiredArtifacts.map((artifact: { name: string }) => artifact.name)).toEqual([
    'design.pdf',
    'junit.xml',
  ]);
  expect(JSON.parse(run.rawOutput).stages).toEqual(run.blueprint.stages);
});

test('invalid JSON: the run fails with invalid_output at once, keeping the raw text', async () => {
  llm.mode = 'invalid-json';
  const calls = llm.calls;
  const run = await finished(await generate());
  expect(run).toMatchObject({ status: 'failed', errorCode: 'invalid_output', attempt: 1 });
  expect(run.rawOutput).toBe('Sure! Here is the blueprint: {"stages": [ ... ]');
  expect(llm.calls - calls).toBe(1);
});

test('a provider that times out: retried, then failed with generator_timeout', async () => {
  llm.mode = 'hang';
  const calls = llm.calls;
  const run = await finished(await generate());
  expect(run).toMatchObject({ status: 'failed', errorCode: 'generator_timeout', attempt: 2 });
  expect(llm.calls - calls).toBe(2);
});

test('a running run canceled: the worker stops and its late result is discarded (fenced)', async () => {
  llm.mode = 'hang';
  const runId = await generate();
  await waitFor(
    async () => (await getJson(`${api}/api/blueprint-runs/${runId}`)).body.status === 'running',
    10_000,
  );
  const canceled = await postJson(`${api}/api/blueprint-runs/${runId}/cancel`);
  expect(canceled.body).toMatchObject({ status: 'canceled', lockedBy: null });
  // The attempt times out (700 ms) and the worker tries to record it: the lease is gone.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect((await getJson(`${api}/api/blueprint-runs/${runId}`)).body).toMatchObject({
    status: 'canceled',
    attempt: 1,
  });
});

test('500s open the breaker: runs then fail fast as generator_unavailable and wait; when it closes they succeed', async () => {
  llm.mode = 'error500';
  const failing = await Promise.all([generate(), generate(), generate()]);
  const settled = async () =>
    Promise.all(failing.map(async (runId) => (await getJson(`${api}/api/blueprint-runs/${runId}`)).body));
  // Each run either used up its attempts on 500s, or was deferred once the breaker opened.
  const outcomes = await waitFor(
    async () => {
      const runs = await settled();
      const done = runs.every(
        (run) =>
          run.status === 'failed' || (run.status === 'queued' && run.errorCode === 'generator_unavailable'),
      );
      return done ? runs : undefined;
    },
    30_000,
    'failing runs to settle',
  );
  expect(
    outcomes.some((run) => run.errorCode === 'generator_error' || run.errorCode === 'generator_unavailable'),
  ).toBe(true);

  // While open, a new run does not reach the provider at all.
  const deferred = await generate();
  const callsWhileOpen = llm.calls;
  const waiting = await waitFor(
    async () => {
      const { body } = await getJson(`${api}/api/blueprint-runs/${deferred}`);
      return body.errorCode === 'generator_unavailable' && body.deferrals > 0 ? body : undefined;
    },
    10_000,
    'deferral',
  );
  expect(waiting.status).toBe('queued');
  expect(llm.calls).toBe(callsWhileOpen);

  // The provider recovers; after the reset the breaker lets a trial through and closes.
  llm.mode = 'valid';
  const recovered = await finished(deferred, 30_000);
  expect(recovered).toMatchObject({ status: 'succeeded', errorCode: null });
  for (const runId of failing) {
    const run = await finished(runId, 30_000);
    expect(['succeeded', 'failed']).toContain(run.status);
    if (run.status === 'failed') expect(run.errorCode).toBe('generator_error');
  }
});
