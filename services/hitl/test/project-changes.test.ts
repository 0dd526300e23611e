import { randomUUID } from 'node:crypto';
import { evaluateGateCommand } from '@delivery/contracts';
import { ADMIN, client, HitlEnv, QA_1, requiredGate, sampleEvaluation, waitFor } from './harness.js';

// The pipeline's announcements close approvals nobody should decide any more: an archived
// project's are withdrawn, a stage reset to a newer generation supersedes its older ones; each
// is announced and audited, and deciding one afterwards is refused.

let env: HitlEnv;
let api: string;
let events: Awaited<ReturnType<HitlEnv['subscribe']>>;

beforeAll(async () => {
  env = await HitlEnv.create();
  ({ url: api } = await env.startApi());
  events = await env.subscribe('hitl.approval.#');
  await client(api, ADMIN).put('/gates/config', {
    stages: { '3_build': requiredGate(), '4_test': requiredGate() },
  });
});
afterAll(() => env.close());

const eventsOf = (projectId: string, type: string) =>
  events.filter((event) => event.routingKey === type && event.body.payload.projectId === projectId);

async function openApprovals(projectId: string) {
  await env.evaluate({ projectId, stage: '3_build' }, { projectId, stage: '4_test' });
  return waitFor(async () => {
    const found = await env.approvalsOf(projectId);
    return found.length === 2 && found.every((approval) => approval.status === 'pending') && found;
  });
}

const facts = (projectId: string, status: 'active' | 'archived') => ({
  projectId,
  name: 'Apollo',
  requireManualReview: false,
  deliveryManagerId: 'dm-1',
  status,
});

it('archiving a project withdraws its open approvals, announced and audited; they can no longer be decided', async () => {
  const projectId = `project-${randomUUID()}`;
  const [first] = await openApprovals(projectId);
  await env.publishProject(facts(projectId, 'archived'), 10);

  await waitFor(async () => (await env.approvalsOf(projectId)).every((a) => a.status === 'withdrawn'));
  await waitFor(() => eventsOf(projectId, 'hitl.approval.withdrawn.v1').length === 2);
  expect(eventsOf(projectId, 'hitl.approval.withdrawn.v1')[0]?.body.payload.reason).toBe('project_archived');
  const [withdrawn] = await env.approvalsOf(projectId);
  expect(withdrawn?.audit.map((record) => record.action)).toEqual([
    'approval.requested',
    'approval.withdrawn',
  ]);

  const late = await client(api, QA_1).post(`/approvals/${first?._id}/approve`);
  expect(late.status).toBe(409);
});

it('a stage reset to a newer generation supersedes its open approval; other stages keep theirs', async () => {
  const projectId = `project-${randomUUID()}`;
  await openApprovals(projectId);
  await env.publishStageChanged(
    {
      projectId,
      stage: '4_test',
      generation: 2,
      from: 'awaiting_approval',
      to: 'pending',
      trigger: 'onboarding_saved',
      actor: null,
    },
    11,
  );
  await waitFor(async () => {
    const found = await env.approvalsOf(projectId);
    return found.find((approval) => approval.stage === '4_test')?.status === 'superseded' && found;
  });
  const byStage = Object.fromEntries((await env.approvalsOf(projectId)).map((a) => [a.stage, a.status]));
  expect(byStage).toEqual({ '3_build': 'pending', '4_test': 'superseded' });
  await waitFor(() => eventsOf(projectId, 'hitl.approval.superseded.v1').length === 1);
});

it('an active project announced again closes nothing (a later archive of another project shows the announcement was handled)', async () => {
  const projectId = `project-${randomUUID()}`;
  const sentinel = `project-${randomUUID()}`;
  await openApprovals(projectId);
  await openApprovals(sentinel);
  await env.publishProject(facts(projectId, 'active'), 12);
  await env.publishProject(facts(sentinel, 'archived'), 12);
  await waitFor(async () => (await env.approvalsOf(sentinel)).every((a) => a.status === 'withdrawn'));
  expect((await env.approvalsOf(projectId)).map((approval) => approval.status)).toEqual([
    'pending',
    'pending',
  ]);
});

it('an archive overtaken by a restore withdraws nothing asked after it; a command from before it asks nothing', async () => {
  const projectId = `project-${randomUUID()}`;
  const command = (stage: '3_build' | '4_test', sequence: number) => ({
    ...evaluateGateCommand.create({ ...sampleEvaluation(), projectId, stage }),
    subject: projectId,
    sequence,
  });
  // Asked by the restored project (sequence 20), then the late announcement of its archive (10).
  await env.sendRaw(evaluateGateCommand.queue, [command('3_build', 20)]);
  await waitFor(async () => (await env.approvalsOf(projectId)).length === 1);
  await env.publishProject(facts(projectId, 'archived'), 10);
  // A command written before the archive, delivered after it: nothing is asked.
  await env.sendRaw(evaluateGateCommand.queue, [command('4_test', 9)]);
  // The sentinel: a later archive of another project has been handled, so these were too.
  const sentinel = `project-${randomUUID()}`;
  await openApprovals(sentinel);
  await env.publishProject(facts(sentinel, 'archived'), 30);
  await waitFor(async () => (await env.approvalsOf(sentinel)).every((a) => a.status === 'withdrawn'));
  expect((await env.approvalsOf(projectId)).map((a) => [a.stage, a.status])).toEqual([
    ['3_build', 'pending'],
  ]);
});
