import { randomUUID } from 'node:crypto';
import { ADMIN, client, DM_1, HitlEnv, OUTSIDER, QA_3, requiredGate, waitFor } from './harness.js';

// Gate config over HTTP: admins set the global config, admins and the project's delivery manager
// set a project's overrides, every change is audited with before and after, and resolve explains.

let env: HitlEnv;
let api: string;

beforeAll(async () => {
  env = await HitlEnv.create();
  ({ url: api } = await env.startApi());
});
afterAll(() => env.close());

it('lets only admins change the global config, refusing bad input with field paths', async () => {
  const before = await client(api, OUTSIDER).get('/gates/config');
  expect(before.status).toBe(200);

  const asDm = await client(api, DM_1).put('/gates/config', { stages: { '4_test': requiredGate() } });
  expect(asDm.status).toBe(403);
  expect(asDm.body.details.requiredRoles).toEqual(['admin']);

  const bad = await client(api, ADMIN).put('/gates/config', {
    stages: { '4_test': requiredGate({ approvalsNeeded: 0, point: 'during' }), '9_unknown': requiredGate() },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
    'stages',
    'stages.4_test.approvalsNeeded',
    'stages.4_test.point',
  ]);
  expect(bad.body.issues.find((issue: { path: string }) => issue.path === 'stages').message).toMatch(/key/i);
  expect((await client(api, OUTSIDER).get('/gates/config')).body).toEqual(before.body);

  const set = await client(api, ADMIN).put('/gates/config', { stages: { '4_test': requiredGate() } });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({
    stages: { '4_test': requiredGate() },
    revision: before.body.revision + 1,
  });

  const stale = await client(api, ADMIN).put('/gates/config', {
    stages: { '4_test': requiredGate({ approvalsNeeded: 3 }) },
    expectedRevision: before.body.revision,
  });
  expect(stale.status).toBe(409);
  expect(stale.body.details).toEqual({ expectedRevision: before.body.revision, revision: set.body.revision });

  const audit = await client(api, OUTSIDER).get('/gates/config/audit');
  expect(audit.body.items[0]).toMatchObject({
    action: 'gate_config.changed',
    actor: { id: 'admin-1' },
    before: before.body.stages,
    after: { '4_test': requiredGate() },
  });
  // Writing the same config again changes nothing and records nothing.
  await client(api, ADMIN).put('/gates/config', { stages: { '4_test': requiredGate() } });
  expect((await client(api, OUTSIDER).get('/gates/config/audit')).body.items).toHaveLength(
    audit.body.items.length,
  );
});

it("lets admins and the project's own delivery manager change its overrides, audited", async () => {
  const projectId = `project-${randomUUID()}`;
  await env.publishProject(
    { projectId, name: 'Apollo', requireManualReview: false, deliveryManagerId: DM_1.id },
    1,
    'created',
  );
  const path = `/projects/${projectId}/gate-overrides`;
  await waitFor(async () => (await client(api, DM_1).put(path, { stages: {} })).status === 200);

  const otherDm = await client(api, QA_3).put(path, { stages: { '3_build': { required: true } } });
  expect(otherDm.status).toBe(403);
  const outsider = await client(api, OUTSIDER).put(path, { stages: { '3_build': { required: true } } });
  expect(outsider.status).toBe(403);
  expect((await client(api, OUTSIDER).get(path)).body.stages).toEqual({});

  const bad = await client(api, DM_1).put(path, { stages: { '3_build': { approvalsNeeded: 'two' } } });
  expect(bad.status).toBe(400);
  expect(bad.body.issues[0].path).toBe('stages.3_build.approvalsNeeded');

  const byDm = await client(api, DM_1).put(path, {
    stages: { '3_build': { required: true, approvalsNeeded: 2 } },
  });
  expect(byDm.status).toBe(200);
  expect(byDm.body.stages).toEqual({ '3_build': { required: true, approvalsNeeded: 2 } });
  const byAdmin = await client(api, ADMIN).put(path, {
    stages: { '3_build': null, '4_test': { point: 'after' } },
  });
  expect(byAdmin.body.stages).toEqual({ '4_test': { point: 'after' } });

  const audit = await client(api, OUTSIDER).get(`/projects/${projectId}/audit`);
  expect(
    audit.body.items.map((record: { actor: { id: string }; before: unknown; after: unknown }) => [
      record.actor.id,
      record.before,
      record.after,
    ]),
  ).toEqual([
    ['admin-1', { '3_build': { required: true, approvalsNeeded: 2 } }, { '4_test': { point: 'after' } }],
    ['dm-1', {}, { '3_build': { required: true, approvalsNeeded: 2 } }],
  ]);

  // The manager changes: the projection follows the newer event, and ignores an older one.
  await env.publishProject(
    { projectId, name: 'Apollo', requireManualReview: true, deliveryManagerId: QA_3.id },
    3,
  );
  await env.publishProject(
    { projectId, name: 'Apollo', requireManualReview: false, deliveryManagerId: DM_1.id },
    2,
  );
  await waitFor(async () => (await client(api, QA_3).put(path, { stages: {} })).status === 200);
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the older event arrive too
  expect((await client(api, DM_1).put(path, { stages: {} })).status).toBe(403);
  const resolved = await client(api, OUTSIDER).get(
    `/gates/resolve?projectId=${projectId}&stage=5_defect_validation`,
  );
  expect(resolved.body.project).toMatchObject({ requireManualReview: true, deliveryManagerId: QA_3.id });
});

it('explains which rule decided a gate', async () => {
  const projectId = `project-${randomUUID()}`;
  await client(api, ADMIN).put('/gates/config', {
    stages: { '3_build': requiredGate({ approvalsNeeded: 2 }) },
  });
  const global = await client(api, OUTSIDER).get(`/gates/resolve?projectId=${projectId}&stage=3_build`);
  expect(global.status).toBe(200);
  expect(global.body).toMatchObject({
    decidedBy: 'global',
    gate: requiredGate({ approvalsNeeded: 2 }),
    asks: { before: true, after: false },
    project: null,
  });

  await client(api, ADMIN).put(`/projects/${projectId}/gate-overrides`, {
    stages: { '3_build': { point: 'after' } },
  });
  const overridden = await client(api, OUTSIDER).get(`/gates/resolve?projectId=${projectId}&stage=3_build`);
  expect(overridden.body).toMatchObject({
    decidedBy: 'project_override',
    asks: { before: false, after: true },
  });
  expect(
    overridden.body.layers.find((layer: { rule: string }) => layer.rule === 'project_override'),
  ).toMatchObject({
    applied: true,
    fields: ['point'],
  });

  const none = await client(api, OUTSIDER).get(`/gates/resolve?projectId=${projectId}&stage=0_sales`);
  expect(none.body).toMatchObject({ decidedBy: 'default', gate: { required: false } });

  const bad = await client(api, OUTSIDER).get('/gates/resolve?stage=8_nope');
  expect(bad.status).toBe(400);
  expect(bad.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['projectId', 'stage']);
});
