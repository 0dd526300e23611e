import { getJson, requestJson, userToken } from '@delivery/testing';
import { projectModel } from '../src/store/project-model.js';
import { PipelineEnv } from './harness.js';

// Roles alone do not decide what a person may do to a project: the relation does. The seeded
// project's manager is dm-1; dm-2 is a delivery manager too, of other projects.

const person = (id: string, roles: string[]) => userToken({ id, name: id, roles, audience: 'pipeline' });
const manager = person('dm-1', ['delivery_manager']);
const otherManager = person('dm-2', ['delivery_manager']);
const operator = person('op-1', ['operator']);
const admin = person('admin-1', ['admin']);

let env: PipelineEnv;
let api: string;
beforeAll(async () => {
  env = await PipelineEnv.create();
  ({ url: api } = await env.startApi());
});
afterAll(() => env.close());

const stored = async (projectId: string) =>
  projectModel(await env.database())
    .findById(projectId, { version: 1, sale: 1, assignees: 1, status: 1, onboarding: 1 })
    .lean();

const changes = (projectId: string) => [
  { method: 'POST', path: `/projects/${projectId}/sale`, body: { note: 'signed' } },
  {
    method: 'PUT',
    path: `/projects/${projectId}/onboarding`,
    body: { answers: { domain: 'https://a.example' } },
  },
  {
    method: 'PUT',
    path: `/projects/${projectId}/assignment`,
    body: { assignees: [{ id: 'dev-1', name: 'Dev' }] },
  },
  { method: 'POST', path: `/projects/${projectId}/archive`, body: {} },
];

test("another project's delivery manager can change nothing on it: 403 and the project as it was", async () => {
  const projectId = await env.project();
  const before = await stored(projectId);
  for (const { method, path, body } of [
    ...changes(projectId),
    { method: 'POST', path: `/projects/${projectId}/advance`, body: {} },
    { method: 'POST', path: `/projects/${projectId}/resume`, body: {} },
  ]) {
    const res = await requestJson(method, `${api}${path}`, body, { token: otherManager });
    expect([path, res.status, res.body.error]).toEqual([path, 403, 'forbidden']);
  }
  expect(await stored(projectId)).toEqual(before);
});

test("the project's own delivery manager and an admin can; an operator may advance and resume only", async () => {
  const projectId = await env.project();
  const sale = await requestJson('POST', `${api}/projects/${projectId}/sale`, {}, { token: manager });
  expect(sale.status).toBe(200);
  const answers = { answers: { domain: 'https://a.example' } };
  const byAdmin = await requestJson('PUT', `${api}/projects/${projectId}/onboarding`, answers, {
    token: admin,
  });
  expect(byAdmin.status).toBe(200);

  const advance = await requestJson('POST', `${api}/projects/${projectId}/advance`, {}, { token: operator });
  expect(advance.status).toBe(200);
  const assignees = { assignees: [{ id: 'dev-1', name: 'Dev' }] };
  const byOperator = await requestJson('PUT', `${api}/projects/${projectId}/assignment`, assignees, {
    token: operator,
  });
  expect([byOperator.status, byOperator.body.error]).toEqual([403, 'forbidden']);
  expect((await stored(projectId))?.assignees).toEqual([]);
});

test('a delivery manager creates projects they manage; naming someone else is refused', async () => {
  const res = await requestJson(
    'POST',
    `${api}/projects`,
    { name: 'Hand-off', client: 'Acme', templateId: 'template-1', deliveryManagerId: 'dm-2' },
    { token: manager },
  );
  expect([res.status, res.body.error]).toEqual([403, 'forbidden']);
});

test('the manager hands the project over (in the timeline, before and after); from then on only the new manager manages it', async () => {
  const projectId = await env.project();
  const handover = await requestJson(
    'PUT',
    `${api}/projects/${projectId}/management`,
    { deliveryManagerId: 'dm-2' },
    { token: manager },
  );
  expect([handover.status, handover.body.deliveryManagerId]).toEqual([200, 'dm-2']);
  const timeline = await getJson(`${api}/projects/${projectId}/timeline`, { token: admin });
  expect(timeline.body.items).toContainEqual(
    expect.objectContaining({
      trigger: 'management_changed',
      actor: { kind: 'user', id: 'dm-1', name: 'dm-1' },
      fact: { field: 'deliveryManagerId', before: 'dm-1', after: 'dm-2' },
    }),
  );
  const sale = (token: string) => requestJson('POST', `${api}/projects/${projectId}/sale`, {}, { token });
  expect((await sale(manager)).status).toBe(403);
  expect((await sale(otherManager)).status).toBe(200);
});

test('switching manual review off is an admin’s: 403 naming the field for the manager', async () => {
  const projectId = await env.project();
  const path = `${api}/projects/${projectId}/management`;
  expect((await requestJson('PUT', path, { requireManualReview: true }, { token: manager })).status).toBe(
    200,
  );
  const off = await requestJson('PUT', path, { requireManualReview: false }, { token: manager });
  expect([off.status, off.body.error, off.body.details]).toEqual([
    403,
    'forbidden',
    { field: 'requireManualReview' },
  ]);
  const byAdmin = await requestJson('PUT', path, { requireManualReview: false }, { token: admin });
  expect([byAdmin.status, byAdmin.body.requireManualReview]).toEqual([200, false]);
  const empty = await requestJson('PUT', path, {}, { token: admin });
  expect(empty.status).toBe(400);
});
