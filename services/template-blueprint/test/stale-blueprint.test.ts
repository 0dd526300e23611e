import { getJson, postJson, requestJson, waitFor } from '@delivery/testing';
import { BlueprintEnv, sampleTemplate } from './harness.js';

/**
 * A blueprint belongs to exactly the content it was generated from. Generated for a draft, then
 * the draft edited and published: the published version has no current blueprint until it is
 * generated again, and the reads say it is stale rather than serving the old one.
 */
let env: BlueprintEnv;
let api: string;

beforeAll(async () => {
  env = await BlueprintEnv.create();
  api = await env.startApi();
  env.spawnWorker({ WORKER_ID: 'worker-stale' });
});
afterAll(() => env.close());

async function generated(templateId: string): Promise<string> {
  const { body } = await postJson(`${api}/api/templates/${templateId}/blueprint/generate`, {});
  await waitFor(
    async () => (await getJson(`${api}/api/blueprint-runs/${body.id}`)).body.status === 'succeeded',
    30_000,
    `run ${body.id} to succeed`,
  );
  return body.id;
}

const artifactNames = (blueprint: { requiredArtifacts: { name: string }[] }) =>
  blueprint.requiredArtifacts.map((artifact) => artifact.name);

test('generate for a draft, edit and publish it: the old blueprint is stale until regenerated', async () => {
  const template = sampleTemplate();
  const id = (await postJson(`${api}/api/templates`, template)).body.id as string;
  const firstRun = await generated(id);
  expect((await getJson(`${api}/api/templates/${id}/blueprint`)).body).toMatchObject({
    templateVersion: 1,
    runId: firstRun,
  });

  const edited = {
    ...template.content,
    artifacts: [
      ...template.content.artifacts,
      { name: 'sitemap.xml', contentType: 'application/xml', maxSizeBytes: 1_000_000, required: true },
    ],
  };
  expect((await requestJson('PATCH', `${api}/api/templates/${id}`, { content: edited })).status).toBe(200);
  const draftRead = await getJson(`${api}/api/templates/${id}/blueprint`);
  expect(draftRead.status).toBe(404);
  expect(draftRead.body).toMatchObject({
    error: 'blueprint_stale',
    details: { version: 1, staleRunId: firstRun },
  });

  expect((await postJson(`${api}/api/templates/${id}/publish`)).status).toBe(200);
  const publishedRead = await getJson(`${api}/api/templates/${id}/blueprint?version=1`);
  expect(publishedRead.status).toBe(404);
  expect(publishedRead.body.error).toBe('blueprint_stale');
  expect((await getJson(`${api}/api/templates/${id}/blueprint/status`)).body).toMatchObject({
    status: 'succeeded',
    latestRun: { id: firstRun },
    blueprint: null,
    blueprintStale: true,
  });

  const secondRun = await generated(id);
  const served = await getJson(`${api}/api/templates/${id}/blueprint?version=1`);
  expect(served.status).toBe(200);
  expect(served.body.runId).toBe(secondRun);
  expect(artifactNames(served.body.blueprint)).toContain('sitemap.xml');
  expect((await getJson(`${api}/api/templates/${id}/blueprint/status`)).body).toMatchObject({
    blueprint: { templateVersion: 1, runId: secondRun },
    blueprintStale: false,
  });
});

test('a version never generated is a plain 404; an unknown version is a 404; a bad version is a 400', async () => {
  const id = (await postJson(`${api}/api/templates`, sampleTemplate())).body.id as string;
  expect((await getJson(`${api}/api/templates/${id}/blueprint`)).body.error).toBe('not_found');
  expect((await getJson(`${api}/api/templates/${id}/blueprint/status`)).body).toMatchObject({
    blueprint: null,
    blueprintStale: false,
  });
  expect((await getJson(`${api}/api/templates/${id}/blueprint?version=7`)).status).toBe(404);
  expect((await getJson(`${api}/api/templates/${id}/blueprint?version=zero`)).status).toBe(400);
});
