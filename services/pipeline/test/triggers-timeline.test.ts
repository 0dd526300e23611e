import { getJson, postJson, requestJson, userToken } from '@delivery/testing';
import { GATE_QUESTION_PATIENCE_MS } from '../src/domain/gate-question.js';
import { projectModel } from '../src/store/project-model.js';
import { PipelineEnv } from './harness.js';

// The timeline names what happened by the old system's trigger names and who did it, and a gate
// question nobody answers (hitl is unreachable here: its command waits on the broker) is never
// shown as an approval awaited. The seeded project's manager is dm-1.

const MANAGER = userToken({
  id: 'dm-1',
  name: 'Dana Manager',
  roles: ['delivery_manager'],
  audience: 'pipeline',
});

let env: PipelineEnv;
let api: string;
let now = new Date();
beforeAll(async () => {
  env = await PipelineEnv.create();
  ({ url: api } = await env.startApi({}, () => now));
});
afterAll(() => env.close());

interface Row {
  stage: string;
  from: string;
  to: string;
  trigger: string;
  actor: { name: string } | null;
  fact?: { field: string; before: unknown; after: unknown };
}
const timeline = async (projectId: string): Promise<Row[]> =>
  (await getJson(`${api}/projects/${projectId}/timeline`, { token: MANAGER })).body.items;

/** A seeded project at onboarding, whose template asks two required questions. */
async function atOnboarding(): Promise<string> {
  const projectId = await env.project();
  await projectModel(await env.database()).updateOne(
    { _id: projectId },
    {
      $set: {
        currentStage: '1_onboarding',
        'stages.0_sales.status': 'succeeded',
        'stages.1_onboarding.status': 'blocked',
        'requirements.fields': [
          { key: 'domain', label: 'Domain', type: 'url', required: true },
          { key: 'pages', label: 'Pages', type: 'number', required: true },
        ],
      },
    },
  );
  return projectId;
}

test('answers saved incomplete are onboarding_updated (a draft), complete ones onboarding_saved, both by name; the gate being asked is no awaited approval', async () => {
  const projectId = await atOnboarding();
  const save = (answers: Record<string, unknown>) =>
    requestJson('PUT', `${api}/projects/${projectId}/onboarding`, { answers }, { token: MANAGER });
  expect((await save({ domain: 'https://acme.example' })).status).toBe(200);
  expect((await save({ pages: 4 })).status).toBe(200);

  const rows = await timeline(projectId);
  expect(rows).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        trigger: 'onboarding_updated',
        actor: expect.objectContaining({ name: 'Dana Manager' }),
        fact: {
          field: 'onboarding_answers',
          before: '0 of 2 required answered',
          after: '1 of 2 required answered',
        },
      }),
      expect.objectContaining({
        trigger: 'onboarding_saved',
        fact: {
          field: 'onboarding_answers',
          before: '1 of 2 required answered',
          after: '2 of 2 required answered',
        },
      }),
      expect.objectContaining({
        stage: '1_onboarding',
        from: 'blocked',
        to: 'ready',
        trigger: 'onboarding_saved',
        actor: expect.objectContaining({ name: 'Dana Manager' }),
      }),
    ]),
  );
  expect(rows.filter((row) => row.to === 'awaiting_approval' || row.from === 'awaiting_approval')).toEqual(
    [],
  );
  const why = (await getJson(`${api}/projects/${projectId}/why`, { token: MANAGER })).body;
  expect(why).toMatchObject({ stageStatus: 'ready', blockedReasons: [], approval: null });
});

test('a gate question left unanswered says so with who can act, and the manager resuming asks it again', async () => {
  const projectId = await atOnboarding();
  await requestJson(
    'PUT',
    `${api}/projects/${projectId}/onboarding`,
    { answers: { domain: 'https://acme.example', pages: 2 } },
    { token: MANAGER },
  );
  now = new Date(now.getTime() + GATE_QUESTION_PATIENCE_MS + 1_000);
  const why = (await getJson(`${api}/projects/${projectId}/why`, { token: MANAGER })).body;
  expect(why).toMatchObject({
    stageStatus: 'ready',
    blockedReasons: [
      { code: 'gate_unanswered', whoCanAct: ['operator', 'delivery_manager'], action: 'manual_resume' },
    ],
  });
  expect(why.summary).toContain('hitl has not answered');

  const outboxBefore = await outboxCommands(projectId);
  const resumed = await postJson(`${api}/projects/${projectId}/resume`, undefined, { token: MANAGER });
  expect(resumed.status).toBe(200);
  expect(resumed.body.stages['1_onboarding']).toMatchObject({
    status: 'ready',
    gatePoint: 'before',
    note: 'Dana Manager asked again whether an approval is needed',
  });
  expect(await outboxCommands(projectId)).toBe(outboxBefore + 1);
  // Asked again just now: nothing overdue any more.
  expect((await getJson(`${api}/projects/${projectId}/why`, { token: MANAGER })).body.blockedReasons).toEqual(
    [],
  );
});

test('a manager replacing who is assigned is an audited assignment_override; a first assignment is assignment_updated', async () => {
  const projectId = await env.project();
  const assign = (assignees: { id: string; name: string }[]) =>
    requestJson('PUT', `${api}/projects/${projectId}/assignment`, { assignees }, { token: MANAGER });
  expect((await assign([{ id: 'dev-1', name: 'Devi' }])).status).toBe(200);
  expect((await assign([{ id: 'dev-2', name: 'Dario' }])).status).toBe(200);
  const rows = await timeline(projectId);
  const override = rows.filter((row) => row.trigger === 'assignment_override');
  expect(override).toEqual([
    expect.objectContaining({
      actor: expect.objectContaining({ name: 'Dana Manager' }),
      fact: { field: 'assignees', before: 'Devi', after: 'Dario' },
    }),
  ]);
  expect(rows.filter((row) => row.trigger === 'assignment_updated')).toEqual([
    expect.objectContaining({ actor: expect.objectContaining({ name: 'Dana Manager' }) }),
  ]);
});

async function outboxCommands(projectId: string): Promise<number> {
  const document = await projectModel(await env.database())
    .findById(projectId, { outbox: 1 })
    .lean<{ outbox: { kind?: string; queue?: string; message?: { type?: string } }[] }>();
  return (document?.outbox ?? []).filter((entry) => JSON.stringify(entry).includes('hitl.gate.evaluate'))
    .length;
}
