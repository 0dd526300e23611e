import { getJson, postJson } from '@delivery/testing';
import { projectModel } from '../src/store/project-model.js';
import { PipelineEnv } from './harness.js';

// Listing projects: filters by stage, status, client and manager, search by name, keyset pages;
// archiving stops a project and shows in the list.

let env: PipelineEnv;
let api: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  env = await PipelineEnv.create();
  ({ url: api } = await env.startApi());
  for (const name of ['Apollo site', 'Hermes app', 'Apollo shop']) ids[name] = await env.project(name);
  // Hermes belongs to another client and manager, and has moved on to onboarding.
  await projectModel(await env.database()).updateOne(
    { _id: ids['Hermes app'] },
    { $set: { client: 'Olympus', deliveryManagerId: 'dm-2', currentStage: '1_onboarding' } },
  );
});
afterAll(() => env.close());

const names = async (query: string) =>
  ((await getJson(`${api}/projects?${query}`)).body.items as { name: string }[])
    .map((project) => project.name)
    .sort();

test('filters by stage, client, manager and name, case-insensitively', async () => {
  expect(await names('search=apollo')).toEqual(['Apollo shop', 'Apollo site']);
  expect(await names('search=APP')).toEqual(['Hermes app']);
  expect(await names('stage=1_onboarding')).toEqual(['Hermes app']);
  expect(await names('client=Olympus')).toEqual(['Hermes app']);
  expect(await names('deliveryManagerId=dm-1')).toEqual(['Apollo shop', 'Apollo site']);
  expect(await names('search=.*')).toEqual([]); // a search is text, not a pattern
  const bad = await getJson(`${api}/projects?stage=9_never&limit=0`);
  expect(bad.status).toBe(400);
  expect(bad.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['limit', 'stage']);
});

test('pages with a cursor, none skipped or repeated', async () => {
  const seen: string[] = [];
  let cursor = '';
  for (;;) {
    const page = (await getJson(`${api}/projects?limit=1${cursor}`)).body;
    seen.push(...page.items.map((project: { name: string }) => project.name));
    if (!page.nextCursor) break;
    cursor = `&cursor=${page.nextCursor}`;
  }
  // Three pages of one: each project once (two created in the same millisecond are ordered by id).
  expect(seen).toHaveLength(3);
  expect([...seen].sort()).toEqual(['Apollo shop', 'Apollo site', 'Hermes app']);
  expect((await getJson(`${api}/projects?cursor=nope`)).status).toBe(400);
});

test('archiving stops a project: listed as archived, refused twice, no further changes', async () => {
  const id = ids['Apollo shop'] as string;
  expect((await postJson(`${api}/projects/${id}/archive`)).body.status).toBe('archived');
  expect(await names('status=archived')).toEqual(['Apollo shop']);
  const again = await postJson(`${api}/projects/${id}/archive`);
  expect(again.status).toBe(409);
  const sale = await postJson(`${api}/projects/${id}/sale`, {});
  expect(sale.status).toBe(409);
  expect((await getJson(`${api}/projects/${id}`)).body.sale).toBeNull();
});
