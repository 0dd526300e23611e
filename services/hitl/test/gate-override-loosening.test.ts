import { randomUUID } from 'node:crypto';
import { ADMIN, client, DM_1, HitlEnv, OUTSIDER, requiredGate, waitFor } from './harness.js';

// A project's delivery manager may add to or tighten the gates that apply to it, never loosen
// them; only an admin loosens a project's gate, and that change is audited as a loosening.

let env: HitlEnv;
let api: string;

/** The admin's build gate: two of qa_lead or security_lead, within two hours, no self-approval. */
const buildGate = requiredGate({
  approverRoles: ['qa_lead', 'security_lead'],
  approvalsNeeded: 2,
  expiresAfterMinutes: 120,
});

beforeAll(async () => {
  env = await HitlEnv.create();
  ({ url: api } = await env.startApi());
  expect((await client(api, ADMIN).put('/gates/config', { stages: { '3_build': buildGate } })).status).toBe(
    200,
  );
});
afterAll(() => env.close());

/** A project managed by DM_1, once hitl knows it; returns its overrides path. */
async function projectOfDm1(requireManualReview = false): Promise<{ projectId: string; path: string }> {
  const projectId = `project-${randomUUID()}`;
  await env.publishProject(
    { projectId, name: 'Apollo', requireManualReview, deliveryManagerId: DM_1.id },
    1,
    'created',
  );
  const path = `/projects/${projectId}/gate-overrides`;
  await waitFor(async () => (await client(api, DM_1).put(path, { stages: {} })).status === 200);
  return { projectId, path };
}

const recordsOf = async (projectId: string) =>
  (await client(api, OUTSIDER).get(`/projects/${projectId}/audit`)).body.items;

test.each([
  ['required: false', { required: false }, ['3_build.required']],
  ['moving the gate after the stage', { point: 'after' }, ['3_build.point']],
  ['fewer approvals', { approvalsNeeded: 1 }, ['3_build.approvalsNeeded']],
  ['self-approval on', { allowSelfApproval: true }, ['3_build.allowSelfApproval']],
  ['a longer expiry', { expiresAfterMinutes: 121 }, ['3_build.expiresAfterMinutes']],
  // Any one of the roles may approve, so a role added lets more people pass the gate.
  ['another approver role', { approverRoles: ['qa_lead', 'delivery_manager'] }, ['3_build.approverRoles']],
  [
    'all of it at once',
    {
      required: false,
      point: 'after',
      approvalsNeeded: 1,
      allowSelfApproval: true,
      expiresAfterMinutes: 600,
      approverRoles: ['viewer'],
    },
    [
      '3_build.required',
      '3_build.point',
      '3_build.approverRoles',
      '3_build.approvalsNeeded',
      '3_build.expiresAfterMinutes',
      '3_build.allowSelfApproval',
    ],
  ],
])(
  "the project's manager may not loosen the admin's gate: %s → 403, nothing stored",
  async (_name, override, fields) => {
    const { projectId, path } = await projectOfDm1();
    const before = await client(api, OUTSIDER).get(path);

    const refused = await client(api, DM_1).put(path, { stages: { '3_build': override } });

    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'override_loosens_gate', details: { fields } });
    expect(refused.body.details.fields).toHaveLength(fields.length);
    expect((await client(api, OUTSIDER).get(path)).body).toEqual(before.body);
    expect(await recordsOf(projectId)).toEqual([]);
  },
);

test("the manual review a project requires is the manager's floor too", async () => {
  const { path } = await projectOfDm1(true);
  for (const [override, field] of [
    [{ required: false }, '4_test.required'],
    [{ point: 'before' }, '4_test.point'],
  ] as const) {
    const refused = await client(api, DM_1).put(path, { stages: { '4_test': override } });
    expect(refused.status).toBe(403);
    expect(refused.body.details.fields).toEqual([field]);
  }
  const tighter = await client(api, DM_1).put(path, { stages: { '4_test': { approvalsNeeded: 2 } } });
  expect(tighter.status).toBe(200);
});

test("the project's manager may add gates and tighten them, and drop what they added", async () => {
  const { projectId, path } = await projectOfDm1();
  const tighter = {
    '3_build': {
      required: true,
      point: 'before',
      approvalsNeeded: 3,
      approverRoles: ['qa_lead'],
      expiresAfterMinutes: 30,
      allowSelfApproval: false,
    },
    // No gate before the sale without the override: any gate there is an addition.
    '0_sales': requiredGate({
      approverRoles: ['sales_lead'],
      expiresAfterMinutes: 5_000,
      allowSelfApproval: true,
    }),
  };

  const added = await client(api, DM_1).put(path, { stages: tighter });
  expect(added.status).toBe(200);
  expect(added.body.stages).toEqual(tighter);

  // Back to the admin's config: loosening the project's own rule, not the admin's.
  const dropped = await client(api, DM_1).put(path, { stages: { '3_build': null, '0_sales': null } });
  expect(dropped.status).toBe(200);
  expect(dropped.body.stages).toEqual({});
  expect((await recordsOf(projectId)).map((record: { loosened: unknown }) => record.loosened)).toEqual([
    [],
    [],
  ]);
});

test('an admin may loosen a project gate: audited with before, after and what it loosened', async () => {
  const { projectId, path } = await projectOfDm1();
  const tightened = { '3_build': { approvalsNeeded: 3 } };
  expect((await client(api, DM_1).put(path, { stages: tightened })).status).toBe(200);

  const allowed = { '3_build': { allowSelfApproval: true, expiresAfterMinutes: 240 } };
  const loosened = await client(api, ADMIN).put(path, { stages: allowed });
  expect(loosened.status).toBe(200);
  expect(loosened.body.stages).toEqual(allowed);
  const resolved = await client(api, OUTSIDER).get(`/gates/resolve?projectId=${projectId}&stage=3_build`);
  expect(resolved.body.gate).toMatchObject({
    approvalsNeeded: 2,
    allowSelfApproval: true,
    expiresAfterMinutes: 240,
  });
  const [latest] = await recordsOf(projectId);
  expect(latest).toMatchObject({
    action: 'gate_override.changed',
    actor: { id: ADMIN.id },
    projectId,
    before: tightened,
    after: allowed,
    loosened: ['3_build.expiresAfterMinutes', '3_build.allowSelfApproval'],
  });

  const disabled = await client(api, ADMIN).put(path, { stages: { '3_build': { required: false } } });
  expect(disabled.status).toBe(200);
  expect((await recordsOf(projectId))[0]).toMatchObject({
    before: allowed,
    after: { '3_build': { required: false } },
    loosened: ['3_build.required'],
  });
  expect((await client(api, ADMIN).put(path, { stages: allowed })).status).toBe(200);

  // The manager keeps what the admin allowed while tightening another stage, but goes no further.
  const kept = await client(api, DM_1).put(path, { stages: { ...allowed, '4_test': requiredGate() } });
  expect(kept.status).toBe(200);
  const further = await client(api, DM_1).put(path, {
    stages: { '3_build': { allowSelfApproval: true, expiresAfterMinutes: 300, approvalsNeeded: 1 } },
  });
  expect(further.status).toBe(403);
  expect(further.body.details.fields).toEqual(['3_build.approvalsNeeded', '3_build.expiresAfterMinutes']);
  expect((await client(api, OUTSIDER).get(path)).body.stages).toEqual({
    ...allowed,
    '4_test': requiredGate(),
  });
});

test("a manager's override written before the admin gated a stage cannot loosen that gate later; an admin's can", async () => {
  const { projectId, path } = await projectOfDm1();
  const resolve = async (stage: string) =>
    (await client(api, OUTSIDER).get(`/gates/resolve?projectId=${projectId}&stage=${stage}`)).body;
  // 4_test has no gate yet: adding one, self-approval allowed, asks more than nothing.
  const pinned = { required: true, allowSelfApproval: true, approvalsNeeded: 1 };
  expect((await client(api, DM_1).put(path, { stages: { '4_test': pinned } })).status).toBe(200);
  expect((await resolve('4_test')).gate).toMatchObject(pinned);

  // The admin gates 4_test for everyone: two approvals, no self-approval. The manager's looser
  // fields stop counting; the gate the admin asked for holds on this project too.
  const strict = requiredGate({ approvalsNeeded: 2 });
  const global = (await client(api, OUTSIDER).get('/gates/config')).body.stages;
  expect(
    (await client(api, ADMIN).put('/gates/config', { stages: { ...global, '4_test': strict } })).status,
  ).toBe(200);
  const resolved = await resolve('4_test');
  expect(resolved.gate).toMatchObject({ required: true, allowSelfApproval: false, approvalsNeeded: 2 });
  expect(resolved.layers.at(-1).why).toContain('ignored');

  // The same override written by an admin is the admin's decision: it holds.
  expect(
    (await client(api, ADMIN).put(path, { stages: { '4_test': { ...pinned, approvalsNeeded: 1 } } })).status,
  ).toBe(200);
  expect((await resolve('4_test')).gate).toMatchObject(pinned);
  const rest = { ...global };
  delete rest['4_test'];
  await client(api, ADMIN).put('/gates/config', { stages: rest });
});
