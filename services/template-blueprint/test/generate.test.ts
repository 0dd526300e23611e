import { generateBlueprintCommand } from '@delivery/contracts';
import { getJson, postJson, waitFor } from '@delivery/testing';
import { BlueprintEnv, sampleTemplate } from './harness.js';

/** Generation end to end: the API in this process, the generator worker as its own process. */
let env: BlueprintEnv;
let api: string;

beforeAll(async () => {
  env = await BlueprintEnv.create();
  api = await env.startApi();
  env.spawnWorker({ WORKER_ID: 'worker-1' });
});
afterAll(() => env.close());

/** What the outbox relay stamps on every envelope it publishes. */
interface Sequenced {
  subject: string;
  sequence: number;
}

async function createTemplate() {
  return (await postJson(`${api}/api/templates`, sampleTemplate())).body.id as string;
}

async function runInState(runId: string, status: string, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const { body } = await getJson(`${api}/api/blueprint-runs/${runId}`);
      return body.status === status ? body : undefined;
    },
    timeoutMs,
    `run ${runId} to be ${status}`,
  );
}

test('generate: the worker process completes the run; status, details and the blueprint show it', async () => {
  const events = await env.subscribe('blueprints.run.*.v1');
  const id = await createTemplate();
  const requested = await postJson(`${api}/api/templates/${id}/blueprint/generate`, {});
  expect(requested.status).toBe(202);
  expect(requested.body).toMatchObject({ status: 'queued', generator: 'rules', templateVersion: 1 });
  const runId = requested.body.id as string;

  const run = await runInState(runId, 'succeeded');
  expect(run).toMatchObject({ attempt: 1, lockedBy: null, errorCode: null });
  expect(run.durationMs).toBeGreaterThanOrEqual(0);
  expect(run.blueprint.requiredArtifacts.map((artifact: { name: string }) => artifact.name)).toEqual([
    'design.pdf',
    'junit.xml',
  ]);
  expect(JSON.parse(run.rawOutput)).toEqual(run.blueprint);

  const status = await getJson(`${api}/api/templates/${id}/blueprint/status`);
  expect(status.body).toMatchObject({
    status: 'succeeded',
    latestRun: { id: runId },
    blueprint: { templateVersion: 1, runId },
  });
  const served = await getJson(`${api}/api/templates/${id}/blueprint`);
  expect(served.body).toMatchObject({ templateVersion: 1, runId, blueprint: run.blueprint });
  expect((await getJson(`${api}/api/templates/${id}/blueprint-job`)).status).toBe(404);

  await waitFor(
    () => events.filter((event) => event.body.payload.runId === runId).length === 3,
    10_000,
    'events',
  );
  const ofRun = events
    .filter((event) => event.body.payload.runId === runId)
    .map((event) => ({ ...event, body: event.body as typeof event.body & Sequenced }));
  expect(ofRun.map((event) => event.routingKey)).toEqual([
    'blueprints.run.queued.v1',
    'blueprints.run.started.v1',
    'blueprints.run.succeeded.v1',
  ]);
  // All from the run's own outbox: one subject, the run, and its order in the sequence.
  expect(ofRun.map((event) => event.body.subject)).toEqual([runId, runId, runId]);
  const sequences = ofRun.map((event) => event.body.sequence);
  expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  expect(new Set(sequences).size).toBe(3);
});

test('run history is newest first and paginated; unknown and malformed ids are 404 and 400', async () => {
  const id = await createTemplate();
  const ids: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    const { body } = await postJson(`${api}/api/templates/${id}/blueprint/generate`, { force: true });
    ids.push(body.id);
  }
  const first = await getJson(`${api}/api/templates/${id}/blueprint/runs?limit=2`);
  const second = await getJson(
    `${api}/api/templates/${id}/blueprint/runs?limit=2&cursor=${first.body.nextCursor}`,
  );
  expect([...first.body.items, ...second.body.items].map((run: { id: string }) => run.id)).toEqual(
    ids.reverse(),
  );
  expect(second.body.nextCursor).toBeNull();
  expect((await getJson(`${api}/api/blueprint-runs/0b6a4f7e-3c2d-4e1f-8a9b-1c2d3e4f5a6b`)).status).toBe(404);
  expect((await getJson(`${api}/api/blueprint-runs/nope`)).status).toBe(400);
  expect((await postJson(`${api}/api/templates/nope/blueprint/generate`)).status).toBe(400);
  expect(
    (await postJson(`${api}/api/templates/0b6a4f7e-3c2d-4e1f-8a9b-1c2d3e4f5a6b/generate-blueprint`)).status,
  ).toBe(404);
  expect(
    (await getJson(`${api}/api/templates/0b6a4f7e-3c2d-4e1f-8a9b-1c2d3e4f5a6b/blueprint/status`)).status,
  ).toBe(404);
});

test('the llm generator is refused (422) when no endpoint is configured; a bad body is a 400', async () => {
  const id = await createTemplate();
  const llm = await postJson(`${api}/api/templates/${id}/blueprint/generate`, { generator: 'llm' });
  expect(llm.status).toBe(422);
  const bad = await postJson(`${api}/api/templates/${id}/blueprint/generate`, {
    generator: 'magic',
    force: 'maybe',
  });
  expect(bad.status).toBe(400);
  expect(bad.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['force', 'generator']);
});

test('a malformed generate command is dead-lettered with its reason; the worker keeps working', async () => {
  await env.sendRaw(generateBlueprintCommand.queue, [
    'not json',
    { type: generateBlueprintCommand.queue, version: 1 },
  ]);
  const dead = await waitFor(
    async () => {
      const messages = await env.drain(`${generateBlueprintCommand.queue}.dlq`);
      return messages.length === 2 ? messages : undefined;
    },
    10_000,
    'two dead letters',
  );
  expect(dead.map((message) => String(message.properties.headers?.['x-dead-letter-reason']))).toEqual([
    expect.stringMatching(/^invalid JSON/),
    expect.stringMatching(/^schema validation failed/),
  ]);
  const id = await createTemplate();
  const { body } = await postJson(`${api}/api/templates/${id}/blueprint/generate`, {});
  await runInState(body.id, 'succeeded');
});
