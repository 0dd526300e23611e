import { randomUUID } from 'node:crypto';
import { ADMIN, client, HitlEnv, QA_1, requiredGate, waitFor } from './harness.js';

// The evaluate command over the real broker and store: pass, one approval however often and
// however concurrently asked, supersession by a newer generation, and refusal of bad commands.

let env: HitlEnv;
let api: string;
let events: Awaited<ReturnType<HitlEnv['subscribe']>>;

beforeAll(async () => {
  env = await HitlEnv.create();
  ({ url: api } = await env.startApi());
  events = await env.subscribe('hitl.#');
  const set = await client(api, ADMIN).put('/gates/config', {
    stages: { '4_test': requiredGate({ approvalsNeeded: 2 }), '3_build': requiredGate({ point: 'after' }) },
  });
  expect(set.status).toBe(200);
});
afterAll(() => env.close());

const project = () => `project-${randomUUID()}`;
const eventsOf = (projectId: string, type: string) =>
  events.filter((event) => event.routingKey === type && event.body.payload.projectId === projectId);

it('passes a stage whose gate is not required, without an approval', async () => {
  const projectId = project();
  await env.evaluate({ projectId, stage: '2_assignment' });
  const [passed] = await waitFor(() => {
    const found = eventsOf(projectId, 'hitl.gate.passed.v1');
    return found.length > 0 && found;
  });
  expect(passed?.body.payload).toMatchObject({
    projectId,
    stage: '2_assignment',
    generation: 1,
    point: 'before',
    reason: 'not_required',
    approvalId: null,
  });
  expect(await env.approvalsOf(projectId)).toEqual([]);
});

it('passes the point a gate does not sit at, and asks at the one it does', async () => {
  const projectId = project();
  await env.evaluate({ projectId, stage: '3_build', point: 'before' });
  await waitFor(() => eventsOf(projectId, 'hitl.gate.passed.v1').length === 1);
  await env.evaluate({ projectId, stage: '3_build', point: 'after' });
  await waitFor(() => eventsOf(projectId, 'hitl.approval.requested.v1').length === 1);
  const [approval] = await env.approvalsOf(projectId);
  expect(approval).toMatchObject({ stage: '3_build', point: 'after', status: 'pending', attempt: 1 });
});

it('opens exactly one approval for concurrent and redelivered commands of one generation', async () => {
  const projectId = project();
  const repeated = randomUUID();
  // Twenty distinct commands at once, and one command delivered five times.
  await env.evaluate(
    ...Array.from({ length: 20 }, () => ({ projectId, stage: '4_test' as const })),
    ...Array.from({ length: 5 }, () => ({ id: repeated, projectId, stage: '4_test' as const })),
  );
  const evaluations = (await env.database()).collection('gate_evaluations');
  await waitFor(
    async () => (await evaluations.countDocuments({ projectId })) === 21,
    30_000,
    'all commands handled',
  );

  const approvals = await env.approvalsOf(projectId);
  expect(approvals).toHaveLength(1);
  expect(approvals[0]).toMatchObject({
    status: 'pending',
    generation: 1,
    attempt: 1,
    gate: { approvalsNeeded: 2, approverRoles: ['qa_lead'] },
  });
  expect(approvals[0]?.context).toEqual({ summary: 'build of release 1.2' });
  await waitFor(() => eventsOf(projectId, 'hitl.approval.requested.v1').length === 1);
  expect(eventsOf(projectId, 'hitl.approval.requested.v1')[0]?.body.payload).toMatchObject({
    approvalId: approvals[0]?._id,
    approvalsNeeded: 2,
    approverRoles: ['qa_lead'],
    requestedBy: { id: 'dm-1' },
    previousApprovalId: null,
  });
  // Every other command found the approval open and waited on it.
  const outcomes = await evaluations.find({ projectId }).toArray();
  expect(outcomes.filter((record) => record.outcome.kind === 'opened')).toHaveLength(1);
  expect(outcomes.filter((record) => record.outcome.kind === 'wait')).toHaveLength(20);
});

it('supersedes an open approval when a newer generation is asked about, and ignores the older one after', async () => {
  const projectId = project();
  await env.evaluate({ projectId, stage: '4_test', generation: 1 });
  await waitFor(async () => (await env.approvalsOf(projectId)).length === 1);
  await env.evaluate({ projectId, stage: '4_test', generation: 2 });
  await waitFor(async () => (await env.approvalsOf(projectId)).length === 2);

  const [first, second] = await env.approvalsOf(projectId);
  expect(first).toMatchObject({ generation: 1, status: 'superseded', supersededByGeneration: 2 });
  expect(first?.audit.map((record) => record.action)).toEqual(['approval.requested', 'approval.superseded']);
  expect(second).toMatchObject({ generation: 2, status: 'pending' });
  await waitFor(() => eventsOf(projectId, 'hitl.approval.superseded.v1').length === 1);
  expect(eventsOf(projectId, 'hitl.approval.superseded.v1')[0]?.body.payload).toMatchObject({
    approvalId: first?._id,
    generation: 1,
    byGeneration: 2,
  });

  const decided = await client(api, QA_1).post(`/approvals/${first?._id}/approve`);
  expect(decided.status).toBe(409);
  expect(decided.body.details).toMatchObject({ reason: 'not_pending', status: 'superseded' });

  // A late command for generation 1 changes nothing.
  const [late] = await env.evaluate({ projectId, stage: '4_test', generation: 1 });
  const evaluations = (await env.database()).collection('gate_evaluations');
  await waitFor(async () => evaluations.findOne({ _id: late as never }));
  expect(await env.approvalsOf(projectId)).toHaveLength(2);
  expect((await evaluations.findOne({ _id: late as never }))?.outcome.kind).toBe('ignore');
});

it('makes every automated stage of a manual-review project need an after review', async () => {
  const projectId = project();
  const manual = { requireManualReview: true, deliveryManagerId: 'dm-1' };
  await env.evaluate(
    { projectId, stage: '5_defect_validation', point: 'after', project: manual },
    { projectId, stage: '1_onboarding', point: 'after', project: manual },
  );
  await waitFor(() => eventsOf(projectId, 'hitl.gate.passed.v1').length === 1);
  await waitFor(() => eventsOf(projectId, 'hitl.approval.requested.v1').length === 1);
  expect(eventsOf(projectId, 'hitl.gate.passed.v1')[0]?.body.payload.stage).toBe('1_onboarding');
  const [approval] = await env.approvalsOf(projectId);
  expect(approval).toMatchObject({
    stage: '5_defect_validation',
    point: 'after',
    decidedBy: 'manual_review',
  });
});

it('dead-letters a command it can never handle, with the reason, and stores nothing', async () => {
  const projectId = project();
  await env.sendRaw('hitl.gate.evaluate', [
    { not: 'an envelope' },
    // A context key MongoDB cannot store: refused by the same bounds as an HTTP body.
    {
      id: randomUUID(),
      type: 'hitl.gate.evaluate',
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: 'c-1',
      payload: {
        projectId,
        stage: '4_test',
        generation: 1,
        point: 'before',
        requestedBy: { kind: 'user', id: 'u', name: 'U' },
        context: { $where: 'sleep(1000)' },
        project: { requireManualReview: false },
      },
    },
  ]);
  const dead = await waitFor(async () => {
    const found = await client(api, ADMIN).get('/dead-letters');
    const report = found.body.queues.find((queue: { queue: string }) =>
      queue.queue.startsWith('hitl.gate.evaluate'),
    );
    return report?.messages?.length === 2 && report.messages;
  });
  expect(dead.map((message: { reason: string }) => message.reason).join('\n')).toMatch(/\$where|key/);
  expect(await env.approvalsOf(projectId)).toEqual([]);
});
