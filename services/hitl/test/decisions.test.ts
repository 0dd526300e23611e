import { randomUUID } from 'node:crypto';
import type { ResponsiblePerson } from '@delivery/contracts';
import { WITHOUT_OUTBOX_FIELDS } from '@delivery/messaging';
import { serviceToken } from '@delivery/testing';
import {
  ADMIN,
  client,
  DM_1,
  HitlEnv,
  OUTSIDER,
  PIPELINE,
  QA_1,
  QA_2,
  QA_3,
  requiredGate,
  waitFor,
} from './harness.js';

// People deciding approvals over HTTP: N distinct approvers, the refusals (role, self-approval,
// twice, wrong state) that change nothing, send-back, and the audit of a whole approval's life.

let env: HitlEnv;
let api: string;
let events: Awaited<ReturnType<HitlEnv['subscribe']>>;

beforeAll(async () => {
  env = await HitlEnv.create();
  ({ url: api } = await env.startApi());
  events = await env.subscribe('hitl.approval.#');
  const set = await client(api, ADMIN).put('/gates/config', {
    stages: { '4_test': requiredGate({ approvalsNeeded: 2 }) },
  });
  expect(set.status).toBe(200);
});
afterAll(() => env.close());

const eventsOf = (approvalId: string, type: string) =>
  events.filter((event) => event.routingKey === type && event.body.payload.approvalId === approvalId);

/** Asks for approval of 4_test (2 of qa_lead) for a fresh project; returns the approval id. */
async function openApproval(): Promise<{ projectId: string; approvalId: string }> {
  const projectId = `project-${randomUUID()}`;
  await env.evaluate({ projectId, stage: '4_test' });
  const [approval] = await waitFor(async () => {
    const found = await env.approvalsOf(projectId);
    return found.length === 1 && found;
  });
  return { projectId, approvalId: approval?._id as string };
}

/** The stored approval, to compare before and after a refused request. */
async function stored(approvalId: string) {
  // The relay empties the outbox in its own time: compare the approval, not the relay's progress.
  return (await env.approvals()).findById(approvalId, WITHOUT_OUTBOX_FIELDS).lean();
}

it('is granted when two distinct people with the role have approved, not before', async () => {
  const { approvalId } = await openApproval();

  const first = await client(api, QA_1).post(`/approvals/${approvalId}/approve`, {
    comment: 'tests look fine',
  });
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({
    status: 'pending',
    votes: [{ by: { id: 'qa-1' }, comment: 'tests look fine' }],
  });
  await waitFor(() => eventsOf(approvalId, 'hitl.approval.vote_recorded.v1').length === 1);
  expect(eventsOf(approvalId, 'hitl.approval.vote_recorded.v1')[0]?.body.payload).toMatchObject({
    by: { id: 'qa-1' },
    approvals: 1,
    approvalsNeeded: 2,
  });

  const second = await client(api, QA_2).post(`/approvals/${approvalId}/approve`);
  expect(second.status).toBe(200);
  expect(second.body.status).toBe('granted');
  await waitFor(() => eventsOf(approvalId, 'hitl.approval.granted.v1').length === 1);
  expect(eventsOf(approvalId, 'hitl.approval.granted.v1')[0]?.body.payload.approvers).toEqual([
    { kind: 'user', id: 'qa-1', name: 'Quinn' },
    { kind: 'user', id: 'qa-2', name: 'Robin' },
  ]);
  expect(await stored(approvalId)).toMatchObject({ status: 'granted', closedAt: expect.any(Date) });
});

it('refuses, changing nothing: a second approve by the same person, self-approval, no role, a service, a decided approval', async () => {
  const { approvalId } = await openApproval();
  expect((await client(api, QA_1).post(`/approvals/${approvalId}/approve`)).status).toBe(200);
  const before = await stored(approvalId);

  const twice = await client(api, QA_1).post(`/approvals/${approvalId}/approve`);
  expect(twice.status).toBe(409);
  expect(twice.body.details).toMatchObject({ reason: 'already_voted', status: 'pending', approvals: 1 });

  // DM_1 asked (sampleEvaluation's requester) and holds qa_lead, but may not approve their own request.
  const own = await client(api, DM_1).post(`/approvals/${approvalId}/approve`);
  expect(own.status).toBe(403);
  expect(own.body.details.reason).toBe('self_approval');

  const noRole = await client(api, OUTSIDER).post(`/approvals/${approvalId}/approve`);
  expect(noRole.status).toBe(403);
  expect(noRole.body.details).toMatchObject({ reason: 'missing_role', requiredRoles: ['qa_lead'] });

  const admin = await client(api, ADMIN).post(`/approvals/${approvalId}/approve`);
  expect(admin.status).toBe(403); // admin is not an approver role unless the gate names it

  const asService = await fetch(`${api}/approvals/${approvalId}/approve`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await serviceToken('pipeline', 'hitl')}`,
      'content-type': 'application/json',
    },
    body: '{}',
  });
  expect(asService.status).toBe(403);

  expect(await stored(approvalId)).toEqual(before);

  expect((await client(api, QA_2).post(`/approvals/${approvalId}/approve`)).status).toBe(200);
  const granted = await stored(approvalId);
  const late = await client(api, QA_3).post(`/approvals/${approvalId}/approve`);
  expect(late.status).toBe(409);
  expect(late.body.details).toMatchObject({ reason: 'not_pending', status: 'granted' });
  const sendBackLate = await client(api, QA_3).post(`/approvals/${approvalId}/send-back`, {
    comment: 'too late',
  });
  expect(sendBackLate.status).toBe(409);
  expect(await stored(approvalId)).toEqual(granted);
});

it('counts concurrent approvals by the same person once', async () => {
  const { approvalId } = await openApproval();
  const answers = await Promise.all(
    Array.from({ length: 8 }, () => client(api, QA_1).post(`/approvals/${approvalId}/approve`)),
  );
  expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
  expect((await stored(approvalId))?.votes).toHaveLength(1);
});

it('sends back with a required comment, which ends the approval', async () => {
  const { approvalId } = await openApproval();
  const before = await stored(approvalId);
  for (const body of [{}, { comment: '   ' }, { comment: 'x'.repeat(2_001) }, { comment: 'ok', extra: 1 }]) {
    const refused = await client(api, QA_1).post(`/approvals/${approvalId}/send-back`, body);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('validation_failed');
  }
  const missing = await client(api, QA_1).post(`/approvals/${approvalId}/send-back`, {});
  expect(missing.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['comment']);
  expect(await stored(approvalId)).toEqual(before);

  const sent = await client(api, QA_1).post(`/approvals/${approvalId}/send-back`, {
    comment: 'two flaky tests: fix before release',
  });
  expect(sent.status).toBe(200);
  expect(sent.body).toMatchObject({ status: 'sent_back', sentBack: { by: { id: 'qa-1' } } });
  await waitFor(() => eventsOf(approvalId, 'hitl.approval.sent_back.v1').length === 1);
  expect(eventsOf(approvalId, 'hitl.approval.sent_back.v1')[0]?.body.payload).toMatchObject({
    comment: 'two flaky tests: fix before release',
    by: { id: 'qa-1' },
  });
  const after = await client(api, QA_2).post(`/approvals/${approvalId}/approve`);
  expect(after.status).toBe(409);
  expect(after.body.details.status).toBe('sent_back');
});

it('keeps the audit trail of a whole approval life, and the project audit shows it newest first', async () => {
  const { projectId, approvalId } = await openApproval();
  await client(api, QA_1).post(`/approvals/${approvalId}/approve`, { comment: 'first look' });
  await client(api, QA_2).post(`/approvals/${approvalId}/approve`, { comment: 'agreed' });

  const detail = await client(api, QA_3).get(`/approvals/${approvalId}`);
  expect(detail.status).toBe(200);
  expect(
    detail.body.audit.map((record: { action: string; actor: { id: string }; comment: string | null }) => [
      record.action,
      record.actor.id,
      record.comment,
    ]),
  ).toEqual([
    ['approval.requested', 'dm-1', null],
    ['approval.approved', 'qa-1', 'first look'],
    ['approval.approved', 'qa-2', 'agreed'],
    ['approval.granted', 'qa-2', null],
  ]);
  expect(detail.body.caller).toMatchObject({ approve: false, sendBack: false });

  const page1 = await client(api, OUTSIDER).get(`/projects/${projectId}/audit?limit=3`);
  expect(page1.status).toBe(200);
  expect(page1.body.items.map((record: { action: string }) => record.action)).toEqual([
    'approval.granted',
    'approval.approved',
    'approval.approved',
  ]);
  const page2 = await client(api, OUTSIDER).get(
    `/projects/${projectId}/audit?limit=3&cursor=${page1.body.nextCursor}`,
  );
  expect(page2.body).toMatchObject({ items: [{ action: 'approval.requested' }], nextCursor: null });
  const badCursor = await client(api, OUTSIDER).get(`/projects/${projectId}/audit?cursor=nope`);
  expect(badCursor.status).toBe(400);
  expect(badCursor.body.issues[0].path).toBe('cursor');
});

it("lists in a person's inbox what they may decide, with filters and pages", async () => {
  const opened = [await openApproval(), await openApproval(), await openApproval()];
  const ids = opened.map((approval) => approval.approvalId);
  // QA_1 voted on the first: it leaves their inbox, not QA_2's.
  await client(api, QA_1).post(`/approvals/${ids[0]}/approve`);

  const inboxOf = async (person: typeof QA_1, query = '') => {
    const answer = await client(api, person).get(`/approvals?limit=200${query}`);
    expect(answer.status).toBe(200);
    return answer.body.items
      .map((approval: { id: string }) => approval.id)
      .filter((id: string) => ids.includes(id));
  };
  expect(await inboxOf(QA_1)).toEqual([ids[2], ids[1]]);
  expect(await inboxOf(QA_2)).toEqual([ids[2], ids[1], ids[0]]);
  expect(await inboxOf(DM_1)).toEqual([]); // their own requests
  expect(await inboxOf(OUTSIDER)).toEqual([]);
  expect(await inboxOf(QA_2, `&projectId=${opened[1]?.projectId}`)).toEqual([ids[1]]);
  expect(await inboxOf(QA_3, '&role=delivery_manager')).toEqual([]);
  expect(await inboxOf(QA_2, '&stage=4_test')).toEqual([ids[2], ids[1], ids[0]]);
  expect(await inboxOf(QA_2, '&stage=3_build')).toEqual([]);

  const first = await client(api, QA_2).get(`/approvals?limit=1&projectId=${opened[2]?.projectId}`);
  expect(first.body.nextCursor).toBeNull();
  const paged: string[] = [];
  let cursor = '';
  for (;;) {
    const page = await client(api, QA_2).get(`/approvals?limit=1${cursor}`);
    paged.push(...page.body.items.map((approval: { id: string }) => approval.id));
    if (!page.body.nextCursor) break;
    cursor = `&cursor=${page.body.nextCursor}`;
  }
  expect(paged.filter((id) => ids.includes(id))).toEqual([ids[2], ids[1], ids[0]]);
});

it('the people responsible for the work may not approve it though the pipeline asked, others may, and they may send it back', async () => {
  const projectId = `project-${randomUUID()}`;
  // QA_3 uploaded the test report under review and holds the approver role.
  const responsiblePeople: ResponsiblePerson[] = [
    { id: QA_3.id, name: 'Sam', reasons: ['uploaded_test_report'] },
  ];
  await env.evaluate({ projectId, stage: '4_test', requestedBy: PIPELINE, responsiblePeople });
  const [opened] = await waitFor(async () => {
    const found = await env.approvalsOf(projectId);
    return found.length === 1 && found;
  });
  const approvalId = opened?._id as string;

  const detail = await client(api, QA_3).get(`/approvals/${approvalId}`);
  expect(detail.body).toMatchObject({ requestedBy: PIPELINE, responsiblePeople });
  expect(detail.body.caller).toEqual({
    approve: false,
    sendBack: true,
    why: 'you are responsible for the work under review (uploaded a test report), and this gate does not let the people responsible approve it',
  });
  const inboxIds = async (person: typeof QA_1) =>
    (await client(api, person).get(`/approvals?limit=200&projectId=${projectId}`)).body.items.map(
      (approval: { id: string }) => approval.id,
    );
  expect(await inboxIds(QA_3)).toEqual([]);
  expect(await inboxIds(QA_1)).toEqual([approvalId]);

  const before = await stored(approvalId);
  const own = await client(api, QA_3).post(`/approvals/${approvalId}/approve`);
  expect(own.status).toBe(403);
  expect(own.body.details.reason).toBe('self_approval');
  expect(await stored(approvalId)).toEqual(before);

  expect((await client(api, QA_1).post(`/approvals/${approvalId}/approve`)).body).toMatchObject({
    status: 'pending',
    votes: [{ by: { id: 'qa-1' } }],
  });
  const withdrawn = await client(api, QA_3).post(`/approvals/${approvalId}/send-back`, {
    comment: 'wrong report, uploading the right one',
  });
  expect(withdrawn.status).toBe(200);
  expect(withdrawn.body).toMatchObject({ status: 'sent_back', sentBack: { by: { id: 'qa-3' } } });
});

it('an approval stored before the responsible list existed reads as an empty list and refuses its requester alone', async () => {
  const { approvalId } = await openApproval();
  const approvals = await env.approvals();
  await approvals.collection.updateOne({ _id: approvalId } as never, { $unset: { responsiblePeople: 1 } });
  expect(await approvals.collection.findOne({ _id: approvalId } as never)).not.toHaveProperty(
    'responsiblePeople',
  );

  const detail = await client(api, QA_1).get(`/approvals/${approvalId}`);
  expect(detail.body).toMatchObject({ responsiblePeople: [], caller: { approve: true } });
  expect((await client(api, DM_1).get(`/approvals?limit=200`)).body.items).not.toContainEqual(
    expect.objectContaining({ id: approvalId }),
  );
  expect((await client(api, DM_1).post(`/approvals/${approvalId}/approve`)).body.details.reason).toBe(
    'self_approval',
  );
  expect((await client(api, QA_1).post(`/approvals/${approvalId}/approve`)).status).toBe(200);
});

it('answers 404 for an unknown approval and 400 for a malformed id', async () => {
  expect((await client(api, QA_1).get(`/approvals/${randomUUID()}`)).status).toBe(404);
  expect((await client(api, QA_1).post(`/approvals/${randomUUID()}/approve`)).status).toBe(404);
  const malformed = await client(api, QA_1).post('/approvals/not-a-uuid/approve');
  expect(malformed.status).toBe(400);
  expect(malformed.body.issues[0].path).toBe('id');
});
