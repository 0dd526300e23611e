import { getJson, postJson, waitFor } from '@delivery/testing';
import { BlueprintEnv, sampleTemplate } from './harness.js';

/**
 * No worker runs at first, so a requested run stays queued for as long as the tests need; the
 * worker process starts only at the end of the last test to show the shared run completes.
 */
let env: BlueprintEnv;
let api: string;

beforeAll(async () => {
  env = await BlueprintEnv.create();
  api = await env.startApi();
});
afterAll(() => env.close());

test('a queued run can be canceled, announced on the broker; then a new generate request starts a new run', async () => {
  const events = await env.subscribe('blueprints.run.*.v1');
  const id = (await postJson(`${api}/api/templates`, sampleTemplate('Cancel me'))).body.id as string;
  const run = (await postJson(`${api}/api/templates/${id}/blueprint/generate`, {})).body;
  const canceled = await postJson(`${api}/api/blueprint-runs/${run.id}/cancel`);
  expect(canceled.status).toBe(200);
  expect(canceled.body).toMatchObject({ id: run.id, status: 'canceled' });
  const ofRun = () => events.filter((event) => event.body.payload.runId === run.id);
  await waitFor(() => ofRun().length === 2, 30_000, 'the queued and canceled events');
  expect(ofRun().map((event) => event.routingKey)).toEqual([
    'blueprints.run.queued.v1',
    'blueprints.run.canceled.v1',
  ]);
  expect(ofRun()[1]?.body.payload).toMatchObject({ templateId: id, templateVersion: 1, attempt: 0 });
  expect((await getJson(`${api}/api/templates/${id}/blueprint-job`)).status).toBe(404);
  const again = await postJson(`${api}/api/blueprint-runs/${run.id}/cancel`);
  expect(again.status).toBe(409);
  expect(again.body.details).toMatchObject({ status: 'canceled' });
  const next = await postJson(`${api}/api/templates/${id}/blueprint/generate`, {});
  expect(next.status).toBe(202);
  expect(next.body.id).not.toBe(run.id);
});

test('concurrent generate requests (new and legacy route alike) share one run; force starts another', async () => {
  const id = (await postJson(`${api}/api/templates`, sampleTemplate())).body.id as string;
  const routes = ['blueprint/generate', 'generate-blueprint'];
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, index) => postJson(`${api}/api/templates/${id}/${routes[index % 2]}`, {})),
  );
  expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
  expect(responses.filter((response) => response.status === 202)).toHaveLength(1);
  expect(responses.filter((response) => response.status === 200)).toHaveLength(19);
  const runs = await env.runs();
  expect(await runs.countDocuments({ templateId: id })).toBe(1);
  const runId = responses[0]?.body.id as string;

  // The legacy route answers exactly what the new one does.
  const viaNew = await postJson(`${api}/api/templates/${id}/blueprint/generate`, {});
  const viaLegacy = await postJson(`${api}/api/templates/${id}/generate-blueprint`, {});
  expect(viaLegacy).toEqual(viaNew);
  expect(viaLegacy.body.id).toBe(runId);

  const active = await getJson(`${api}/api/templates/${id}/blueprint-job`);
  expect(active.body).toMatchObject({ id: runId, status: 'queued' });

  const forced = await postJson(`${api}/api/templates/${id}/blueprint/generate`, { force: true });
  expect(forced.status).toBe(202);
  expect(forced.body.id).not.toBe(runId);
  expect(await runs.countDocuments({ templateId: id })).toBe(2);

  env.spawnWorker();
  for (const run of [runId, forced.body.id]) {
    await waitFor(
      async () => (await getJson(`${api}/api/blueprint-runs/${run}`)).body.status === 'succeeded',
      30_000,
      `run ${run} to succeed`,
    );
  }
  expect((await getJson(`${api}/api/templates/${id}/blueprint-job`)).status).toBe(404);
});
