import { postJson, userToken } from '@delivery/testing';
import { projectModel } from '../src/store/project-model.js';
import { PipelineEnv } from './harness.js';

// Who may decide the defects of a project waiting at defect validation, and what is refused
// before the job-runner is asked (here it is unreachable: what gets past the rules answers 503).
// The seeded project's manager is dm-1; dev-1 is its assignee.

const person = (id: string, roles: string[]) => userToken({ id, name: id, roles, audience: 'pipeline' });
const QA_LEAD = person('qa-1', ['qa_lead']);
const ASSIGNEE = person('dev-1', ['developer']);
const OPERATOR = person('op-1', ['operator']);
const OTHER_MANAGER = person('dm-2', ['delivery_manager']);

let env: PipelineEnv;
let api: string;
beforeAll(async () => {
  env = await PipelineEnv.create();
  ({ url: api } = await env.startApi());
});
afterAll(() => env.close());

/** A project whose defect validation job waits for decisions on the defects f1 and f2. */
async function waitingForDecisions(): Promise<string> {
  const projectId = await env.project();
  await projectModel(await env.database()).updateOne(
    { _id: projectId },
    {
      $set: {
        currentStage: '5_defect_validation',
        assignees: [
          {
            id: 'dev-1',
            name: 'dev-1',
            assignedBy: { kind: 'user', id: 'dm-1', name: 'dm-1' },
            assignedAt: new Date(),
          },
        ],
        outputs: { '4_test': { defects: [{ fingerprint: 'f1' }, { fingerprint: 'f2' }] } },
        'stages.5_defect_validation.status': 'needs_human',
        'stages.5_defect_validation.jobId': 'job-1',
      },
    },
  );
  return projectId;
}

const decide = (projectId: string, body: unknown, token: string) =>
  postJson(`${api}/projects/${projectId}/defect-decisions`, body, { token });

test('an assignee, an operator and another project’s manager may not decide defects (403), nor resume the job with decisions', async () => {
  const projectId = await waitingForDecisions();
  const before = await projectModel(await env.database())
    .findById(projectId, { version: 1 })
    .lean();
  for (const token of [ASSIGNEE, OPERATOR, OTHER_MANAGER]) {
    const refused = await decide(projectId, { decisions: { f1: 'confirmed' } }, token);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(
      "only a QA lead, the project's delivery manager or an admin may do this",
    );
  }
  const resumed = await postJson(
    `${api}/projects/${projectId}/resume`,
    { input: { decisions: { f1: 'confirmed' } } },
    { token: OPERATOR },
  );
  expect(resumed.status).toBe(403);
  const after = await projectModel(await env.database())
    .findById(projectId, { version: 1 })
    .lean();
  expect(after?.version).toBe(before?.version);
});

test('a QA lead gets past the rule: unknown defects are 400 by path, a stage not waiting 409, else the job-runner is asked', async () => {
  const projectId = await waitingForDecisions();
  const unknown = await decide(projectId, { decisions: { f1: 'confirmed', nope: 'rejected' } }, QA_LEAD);
  expect(unknown.status).toBe(400);
  expect(unknown.body.issues).toEqual([expect.objectContaining({ path: 'decisions.nope' })]);
  const empty = await decide(projectId, { decisions: {} }, QA_LEAD);
  expect(empty.status).toBe(400);
  expect(empty.body.issues).toEqual([expect.objectContaining({ path: 'decisions' })]);
  const wrongValue = await decide(projectId, { decisions: { f1: 'maybe' } }, QA_LEAD);
  expect(wrongValue.body.issues).toEqual([expect.objectContaining({ path: 'decisions.f1' })]);

  // Past every rule, the decisions go to the job-runner, which this environment lacks.
  const asked = await decide(projectId, { decisions: { f1: 'confirmed' } }, QA_LEAD);
  expect(asked.status).toBe(503);

  const elsewhere = await env.project();
  const notWaiting = await decide(elsewhere, { decisions: { f1: 'confirmed' } }, QA_LEAD);
  expect(notWaiting.status).toBe(409);
  expect(notWaiting.body.message).toBe('the project is at the sales stage: no defects wait for a decision');
});
