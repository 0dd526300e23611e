import { getJson, postJson, requestJson, waitFor } from '@delivery/testing';
import { BlueprintEnv, sampleTemplate } from './harness.js';

let env: BlueprintEnv;
let api: string;

beforeAll(async () => {
  env = await BlueprintEnv.create();
  api = await env.startApi();
});
afterAll(() => env.close());

async function createTemplate(name?: string) {
  const response = await postJson(`${api}/api/templates`, sampleTemplate(name));
  expect(response.status).toBe(201);
  return response.body.id as string;
}

test('a template is created as a version 1 draft and read back whole', async () => {
  const id = await createTemplate();
  const { status, body } = await getJson(`${api}/api/templates/${id}`);
  expect(status).toBe(200);
  expect(body).toMatchObject({
    id,
    name: 'Website relaunch',
    status: 'draft',
    version: 1,
    publishedVersions: [],
  });
  expect(body.content.fields.map((field: { key: string }) => field.key)).toEqual([
    'client_name',
    'launch_date',
    'budget',
  ]);
});

test('bad input is a 400 naming each bad field, and nothing is stored', async () => {
  const templates = (await env.database()).collection('templates');
  const before = await templates.countDocuments();
  const bad = sampleTemplate();
  const response = await postJson(`${api}/api/templates`, {
    ...bad,
    name: '',
    content: {
      ...bad.content,
      fields: [...bad.content.fields, { key: 'client_name', label: 'Again', type: 'text', required: true }],
      artifacts: [{ name: 'x', contentType: 'application/pdf', maxSizeBytes: -1 }],
    },
  });
  expect(response.status).toBe(400);
  const paths = response.body.issues.map((issue: { path: string }) => issue.path);
  expect(paths).toEqual(
    expect.arrayContaining(['name', 'content.fields.3.key', 'content.artifacts.0.maxSizeBytes']),
  );
  expect(await templates.countDocuments()).toBe(before);
  expect((await getJson(`${api}/api/templates/not-a-uuid`)).status).toBe(400);
  expect((await getJson(`${api}/api/templates/5f0c6c2e-3b8f-4b59-9d2e-7f1f1a2b3c4d`)).status).toBe(404);
});

test('a draft changes in place; publishing freezes it and announces it', async () => {
  const published = await env.subscribe('blueprints.template.published.v1');
  const id = await createTemplate();
  const renamed = await requestJson('PUT', `${api}/api/templates/${id}`, { name: 'Website relaunch 2026' });
  expect(renamed.body).toMatchObject({ version: 1, status: 'draft', name: 'Website relaunch 2026' });
  const response = await postJson(`${api}/api/templates/${id}/publish`);
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ status: 'published', version: 1, publishedVersions: [1] });
  const event = await waitFor(
    () => published.find((received) => received.body.payload.templateId === id),
    10_000,
  );
  expect(event.body.payload).toEqual({ templateId: id, version: 1, name: 'Website relaunch 2026' });
  expect((await postJson(`${api}/api/templates/${id}/publish`)).status).toBe(409);
});

test('published versions are immutable: a change becomes the next draft version', async () => {
  const id = await createTemplate();
  await postJson(`${api}/api/templates/${id}/publish`);
  const v1 = (await getJson(`${api}/api/templates/${id}/versions/1`)).body;

  const changed = await requestJson('PUT', `${api}/api/templates/${id}`, {
    content: { ...sampleTemplate().content, fields: [] },
  });
  expect(changed.status).toBe(200);
  expect(changed.body).toMatchObject({ version: 2, status: 'draft', publishedVersions: [1] });

  const v1After = await getJson(`${api}/api/templates/${id}/versions/1`);
  expect(v1After.body).toEqual(v1);
  expect(v1After.body.content.fields).toHaveLength(3);
  expect((await getJson(`${api}/api/templates/${id}/versions/2`)).body.content.fields).toEqual([]);
  expect((await getJson(`${api}/api/templates/${id}/versions/3`)).status).toBe(404);

  await postJson(`${api}/api/templates/${id}/publish`);
  const template = (await getJson(`${api}/api/templates/${id}`)).body;
  expect(template).toMatchObject({ version: 2, status: 'published', publishedVersions: [1, 2] });
});

test('an archived template cannot change or be published', async () => {
  const id = await createTemplate();
  expect((await postJson(`${api}/api/templates/${id}/archive`)).body.status).toBe('archived');
  const update = await requestJson('PATCH', `${api}/api/templates/${id}`, { name: 'nope' });
  expect(update.status).toBe(409);
  expect(update.body.details).toMatchObject({ status: 'archived' });
  expect((await postJson(`${api}/api/templates/${id}/publish`)).status).toBe(409);
  expect((await postJson(`${api}/api/templates/${id}/blueprint/generate`)).status).toBe(409);
});

test('listing searches by name (case-insensitive) with cursor pagination, newest first', async () => {
  const ids = [];
  for (const name of ['Mobile App Alpha', 'mobile app beta', 'MOBILE APP gamma', 'Something else']) {
    ids.push(await createTemplate(name));
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `search=mobile%20app&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await getJson(`${api}/api/templates?${query}`);
    expect(page.status).toBe(200);
    seen.push(...page.body.items.map((item: { name: string }) => item.name));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(seen).toEqual(['MOBILE APP gamma', 'mobile app beta', 'Mobile App Alpha']);
  expect((await getJson(`${api}/api/templates?cursor=nope`)).status).toBe(400);
  expect((await getJson(`${api}/api/templates?search=(`)).status).toBe(200);
});
