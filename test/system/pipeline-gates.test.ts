import { authHeaders, getJson, postJson, requestJson, userToken, waitFor } from '@delivery/testing';
import { junitReport, projectsClient, ZIP } from './projects-client.js';
import { SystemEnv, type SystemUrls } from './system-env.js';

// Gates end to end, every service its own process: a before gate holds the build until an
// approver approves; an after review sent back re-runs the stage as a new generation; an
// approval nobody decides expires and is asked again on a manual resume; the person whose work a
// review is about may not approve it, though the pipeline asked for the review by itself.

let env: SystemEnv;
let urls: SystemUrls;

const QA = { id: 'qa-1', name: 'Quinn', roles: ['qa_lead'] };
const gate = (point: 'before' | 'after') => ({
  required: true,
  point,
  approverRoles: ['qa_lead'],
  approvalsNeeded: 1,
  expiresAfterMinutes: 60,
  allowSelfApproval: false,
});

beforeAll(async () => {
  env = await SystemEnv.create();
  urls = await env.start();
  const set = await requestJson('PUT', `${urls.hitl}/gates/config`, {
    stages: { '3_build': gate('before'), '4_test': gate('after') },
  });
  expect(set.status).toBe(200);
}, 120_000);
afterAll(() => env.close());

const jobsOf = async (projectId: string) =>
  (
    (await getJson(`${urls.jobRunner}/jobs?projectId=${projectId}&limit=50`)).body.items as {
      idempotencyKey: string;
    }[]
  )
    .map((job) => job.idempotencyKey)
    .sort();

const decide = (approvalId: string, decision: 'approve' | 'send-back', body: unknown = {}) =>
  postJson(`${urls.hitl}/approvals/${approvalId}/${decision}`, body, { token: userToken(QA) });

test('a before gate holds the build until approved; an after review sent back re-runs the stage as generation 2', async () => {
  const { publishedTemplateWithBlueprint, create, throughAssignment, untilStage, upload } =
    projectsClient(urls);
  const projectId = await create(await publishedTemplateWithBlueprint(), 'Gated site');
  await throughAssignment(projectId);
  expect((await upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip')).status).toBe(201);

  // Ready to build, but the gate asks first: no job until someone with qa_lead approves.
  const waiting = await untilStage(projectId, '3_build', 'awaiting_approval');
  const buildApproval = await waitForApproval(projectId, '3_build');
  expect(await jobsOf(projectId)).toEqual([]);
  expect((await getJson(`${urls.pipeline}/projects/${projectId}/why`)).body).toMatchObject({
    stageStatus: 'awaiting_approval',
    blockedReasons: [{ code: 'approval_pending', action: 'approve' }],
    approval: { id: buildApproval, status: 'pending', gate: { approverRoles: ['qa_lead'] } },
  });
  expect(waiting.awaitingApprovalStageKey).toBe('3_build');
  expect((await decide(buildApproval, 'approve')).status).toBe(200);
  await untilStage(projectId, '4_test', 'blocked');
  expect(await jobsOf(projectId)).toEqual([`${projectId}:3_build:1`]);

  // The test stage runs, then its output waits for review; the reviewer sends it back.
  expect(
    (await upload(projectId, 'test-reports', junitReport(), 'TEST-1.xml', 'application/xml')).status,
  ).toBe(201);
  await untilStage(projectId, '4_test', 'awaiting_approval');
  const review = await waitForApproval(projectId, '4_test');
  expect((await decide(review, 'send-back', { comment: 'flaky tests: fix and run again' })).status).toBe(200);
  const sentBack = await untilStage(projectId, '4_test', 'sent_back');
  expect(sentBack.stages['4_test']).toMatchObject({ generation: 1, note: 'flaky tests: fix and run again' });
  expect(sentBack.blockedReasons).toMatchObject([{ code: 'sent_back', action: 'rework' }]);

  // The next trigger (a new report) re-runs it as generation 2, reviewed again.
  expect(
    (await upload(projectId, 'test-reports', junitReport(), 'TEST-2.xml', 'application/xml')).status,
  ).toBe(201);
  const rerun = await untilStage(projectId, '4_test', 'awaiting_approval');
  expect(rerun.stages['4_test'].generation).toBe(2);
  const secondReview = await waitForApproval(projectId, '4_test', review);
  expect((await decide(secondReview, 'approve')).status).toBe(200);
  await untilStage(projectId, '5_defect_validation', 'needs_human');
  expect(await jobsOf(projectId)).toEqual(
    [
      `${projectId}:3_build:1`,
      `${projectId}:4_test:1`,
      `${projectId}:4_test:2`,
      `${projectId}:5_defect_validation:1`,
    ].sort(),
  );

  // The timeline names who decided: Quinn granted and sent back, not "system". Only the gated
  // stages ever awaited an approval; the others asked hitl and went on without one.
  const timeline = (await getJson(`${urls.pipeline}/projects/${projectId}/timeline`)).body.items as {
    stage: string;
    generation: number;
    from: string;
    to: string;
    trigger: string;
    actor: { name: string } | null;
  }[];
  const row = (entry: (typeof timeline)[number]) =>
    `${entry.stage}:${entry.generation}:${entry.from}>${entry.to}:${entry.trigger}:${entry.actor?.name ?? 'system'}`;
  expect(timeline.map(row)).toEqual(
    expect.arrayContaining([
      '3_build:1:ready>awaiting_approval:approval_requested:system',
      '3_build:1:awaiting_approval>running:approval_granted:Quinn',
      '4_test:1:awaiting_approval>sent_back:approval_sent_back:Quinn',
      '4_test:2:awaiting_approval>succeeded:approval_granted:Quinn',
    ]),
  );
  expect(
    [
      ...new Set(timeline.filter((entry) => entry.to === 'awaiting_approval').map((entry) => entry.stage)),
    ].sort(),
  ).toEqual(['3_build', '4_test']);
});

test('an approval nobody decides expires: the stage is blocked saying so, and a manual resume asks again', async () => {
  // The shortest window a gate allows is one minute, so this test waits that long.
  const set = await requestJson('PUT', `${urls.hitl}/gates/config`, {
    stages: { '2_assignment': { ...gate('before'), expiresAfterMinutes: 1 } },
  });
  expect(set.status).toBe(200);
  const { publishedTemplateWithBlueprint, create, throughAssignment, untilStage } = projectsClient(urls);
  const projectId = await create(await publishedTemplateWithBlueprint(), 'Unattended site');
  await throughAssignment(projectId);
  await untilStage(projectId, '2_assignment', 'awaiting_approval');
  const first = await waitForApproval(projectId, '2_assignment');

  const expired = await untilStage(projectId, '2_assignment', 'blocked', 120_000, 500);
  expect(expired.blockedReasons).toMatchObject([
    { code: 'approval_expired', whoCanAct: ['delivery_manager'], action: 'manual_resume' },
  ]);
  expect((await getJson(`${urls.hitl}/approvals/${first}`)).body).toMatchObject({ status: 'expired' });
  expect((await getJson(`${urls.pipeline}/projects/${projectId}/why`)).body).toMatchObject({
    stageStatus: 'blocked',
    blockedReasons: [{ code: 'approval_expired' }],
  });

  // Resuming asks again: a new approval, which the approver grants, and the project moves on.
  expect((await postJson(`${urls.pipeline}/projects/${projectId}/resume`, {})).status).toBe(200);
  await untilStage(projectId, '2_assignment', 'awaiting_approval');
  const second = await waitForApproval(projectId, '2_assignment', first);
  expect((await getJson(`${urls.hitl}/approvals/${second}`)).body).toMatchObject({ status: 'pending' });
  expect((await decide(second, 'approve')).status).toBe(200);
  const atBuild = await untilStage(projectId, '3_build', 'blocked');
  expect(atBuild.blockedReasons).toMatchObject([{ code: 'artifact_missing' }]);
  expect(atBuild.stages['2_assignment']).toMatchObject({ status: 'succeeded', generation: 1 });
  expect((await getJson(`${urls.hitl}/approvals/${second}`)).body).toMatchObject({ status: 'granted' });
}, 180_000);

test('the person who uploaded the build artifact may not approve the review of the build; another approver may', async () => {
  // The uploader manages the project and holds the approver role too.
  const BUILDER = { id: 'builder-1', name: 'Bea', roles: ['delivery_manager', 'qa_lead'] };
  const set = await requestJson('PUT', `${urls.hitl}/gates/config`, {
    stages: { '2_assignment': { ...gate('before'), required: false }, '3_build': gate('after') },
  });
  expect(set.status).toBe(200);
  const { publishedTemplateWithBlueprint, throughAssignment, untilStage } = projectsClient(urls);
  // An admin creates it naming Bea its manager: managing it is what lets her upload.
  const created = await postJson(`${urls.pipeline}/projects`, {
    name: 'Reviewed site',
    client: 'Acme',
    templateId: await publishedTemplateWithBlueprint(),
    deliveryManagerId: BUILDER.id,
  });
  expect(created.status).toBe(201);
  const projectId = created.body.id as string;
  await throughAssignment(projectId);
  const form = new FormData();
  form.append('name', 'site.zip');
  form.append('file', new Blob([ZIP], { type: 'application/zip' }), 'site.zip');
  const uploaded = await fetch(`${urls.pipeline}/projects/${projectId}/artifacts`, {
    method: 'POST',
    headers: authHeaders(userToken(BUILDER)),
    body: form,
  });
  expect(uploaded.status).toBe(201);

  // The build succeeds and the pipeline asks for its review by itself.
  await untilStage(projectId, '3_build', 'awaiting_approval');
  const review = await waitForApproval(projectId, '3_build');
  const asBuilder = await getJson(`${urls.hitl}/approvals/${review}`, { token: userToken(BUILDER) });
  expect(asBuilder.body).toMatchObject({
    point: 'after',
    requestedBy: { kind: 'service', id: 'pipeline' },
    caller: { approve: false, sendBack: true },
  });
  expect(asBuilder.body.responsiblePeople).toContainEqual({
    id: 'builder-1',
    name: 'Bea',
    reasons: ['uploaded_artifact'],
  });

  const own = await postJson(`${urls.hitl}/approvals/${review}/approve`, {}, { token: userToken(BUILDER) });
  expect(own.status).toBe(403);
  expect(own.body.details.reason).toBe('self_approval');
  expect((await getJson(`${urls.hitl}/approvals/${review}`)).body).toMatchObject({
    status: 'pending',
    votes: [],
  });

  expect((await decide(review, 'approve')).status).toBe(200);
  const atTest = await untilStage(projectId, '4_test', 'blocked');
  expect(atTest.stages['3_build']).toMatchObject({ status: 'succeeded', generation: 1 });
  expect((await getJson(`${urls.hitl}/approvals/${review}`)).body).toMatchObject({
    status: 'granted',
    votes: [{ by: { id: QA.id } }],
  });
});

/** The pending approval hitl opened for the stage (other than `not`), once the pipeline knows its id. */
function waitForApproval(projectId: string, stage: string, not?: string): Promise<string> {
  const { pipelineOf } = projectsClient(urls);
  return waitFor(
    async () => {
      const approvalId = (await pipelineOf(projectId)).stages[stage].approvalId as string | null;
      return approvalId !== not && approvalId;
    },
    30_000,
    `an approval for ${stage} of ${projectId}`,
  );
}
