import { getJson, postJson, waitFor } from '@delivery/testing';
import { BlueprintEnv, sampleTemplate } from './harness.js';

/**
 * A run is due at once by the API's clock; the worker's clock runs behind. The generate command
 * must not be dropped (before, the run then waited for the 10-minute re-dispatch).
 */
let env: BlueprintEnv;

afterEach(() => env.close());

const behind = (ms: number) => () => new Date(Date.now() - ms);

async function generateAndAwait(api: string) {
  const templateId = (await postJson(`${api}/api/templates`, sampleTemplate())).body.id as string;
  const { body } = await postJson(`${api}/api/templates/${templateId}/blueprint/generate`, {});
  return waitFor(
    async () => {
      const run = (await getJson(`${api}/api/blueprint-runs/${body.id}`)).body;
      return run.status === 'succeeded' ? run : undefined;
    },
    30_000,
    'the run to succeed although the worker clock runs behind',
  );
}

test('a worker clock behind by less than the allowance claims the run at once', async () => {
  env = await BlueprintEnv.create();
  const api = await env.startApi();
  await env.startWorker({ WORKER_ID: 'slow-clock', CLOCK_SKEW_ALLOWANCE_MS: 5_000 }, behind(3_000));
  const run = await generateAndAwait(api);
  expect(run).toMatchObject({ attempt: 1, lockedBy: null, errorCode: null });
});

test('a worker clock behind by more than the allowance hands the run back; it is re-sent and completes', async () => {
  env = await BlueprintEnv.create();
  const api = await env.startApi();
  await env.startWorker({ WORKER_ID: 'slower-clock', CLOCK_SKEW_ALLOWANCE_MS: 0 }, behind(2_000));
  const run = await generateAndAwait(api);
  expect(run).toMatchObject({ attempt: 1, lockedBy: null, errorCode: null });
});
