import type { OutboxEntry } from '@delivery/messaging';
import type { RunDocument, RunModel } from '../src/store/run-model.js';
import { RunStore } from '../src/store/run-store.js';
import type { TemplateModel } from '../src/store/template-model.js';
import { TemplateStore } from '../src/store/template-store.js';
import { BlueprintEnv, sampleTemplate } from './harness.js';

/**
 * Every message about a run is written to the run's own outbox, in the write that makes the
 * change, so the relay gives them one subject (the run id) and publishes them in order. The
 * stores run here without any relay, so the outboxes stay as written.
 */
let env: BlueprintEnv;
let runs: RunModel;
let templates: TemplateModel;
let store: RunStore;
let templateStore: TemplateStore;

beforeAll(async () => {
  env = await BlueprintEnv.create();
  runs = await env.runs();
  templates = await env.templates();
  await Promise.all([runs.init(), templates.init()]);
  templateStore = new TemplateStore(templates);
  store = new RunStore(runs, templateStore);
});
afterAll(() => env.close());

const request = { generator: 'rules', force: false, maxAttempts: 3 } as const;
const outboxOf = async (model: RunModel | TemplateModel, id: string) =>
  (((await model.collection.findOne({ _id: id as never }))?.outbox ?? []) as OutboxEntry[]).map((entry) => ({
    routingKey: entry.routingKey,
    runId: (entry.envelope.payload as { runId?: string }).runId,
  }));

test('a run is created with its queued event and generate command in its own outbox; cancel appends canceled', async () => {
  const template = await templateStore.create(sampleTemplate() as never);
  const { run } = await store.request(template.id, request, 'corr-1');
  expect(await outboxOf(runs, run.id)).toEqual([
    { routingKey: 'blueprints.run.queued.v1', runId: run.id },
    { routingKey: 'template-blueprint.generate', runId: run.id },
  ]);
  expect(await outboxOf(templates, template.id)).toEqual([]);

  await store.cancel(run.id);
  expect((await outboxOf(runs, run.id)).map((entry) => entry.routingKey)).toEqual([
    'blueprints.run.queued.v1',
    'template-blueprint.generate',
    'blueprints.run.canceled.v1',
  ]);
});

test('concurrent requests create one run and one command; force hands the active-run guard over', async () => {
  const template = await templateStore.create(sampleTemplate() as never);
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, index) => store.request(template.id, request, `corr-${index}`)),
  );
  const ids = new Set(results.map((result) => result.run.id));
  expect(ids.size).toBe(1);
  expect(results.filter((result) => result.created)).toHaveLength(1);
  const stored = await runs.collection.find({ templateId: template.id }).toArray();
  expect(stored).toHaveLength(1);
  expect(stored[0]?.outbox).toHaveLength(2);

  const forced = await store.request(template.id, { ...request, force: true }, 'corr-force');
  expect(forced.created).toBe(true);
  const again = await store.request(template.id, request, 'corr-again');
  expect(again).toMatchObject({ created: false, run: { id: forced.run.id } });
  // Both runs stay queued; only the forced one is the template's active run.
  expect((await store.active(template.id))?.id).toBe(forced.run.id);
  const statuses = await runs.find({ templateId: template.id }).lean<RunDocument[]>();
  expect(statuses.map((run) => run.status)).toEqual(['queued', 'queued']);
});
