import { randomUUID } from 'node:crypto';
import { ADMIN, client, HitlEnv, QA_1, requiredGate, TestClock, waitFor } from './harness.js';

// Expiry with a clock the test moves: the sweeper expires a pending approval past its window,
// deciding it is refused, and asking again for the same generation opens a fresh one linked to it.

const WINDOW_MINUTES = 30;

let env: HitlEnv;
let api: string;
let events: Awaited<ReturnType<HitlEnv['subscribe']>>;
const clock = new TestClock();

beforeAll(async () => {
  env = await HitlEnv.create();
  ({ url: api } = await env.startApi({}, clock.now));
  events = await env.subscribe('hitl.approval.#');
  await client(api, ADMIN).put('/gates/config', {
    stages: { '3_build': requiredGate({ expiresAfterMinutes: WINDOW_MINUTES }) },
  });
});
afterAll(() => env.close());

const eventsOf = (projectId: string, type: string) =>
  events.filter((event) => event.routingKey === type && event.body.payload.projectId === projectId);

it('expires a pending approval past its window, refuses deciding it, and asks again linked to it', async () => {
  const projectId = `project-${randomUUID()}`;
  await env.evaluate({ projectId, stage: '3_build' });
  const [first] = await waitFor(async () => {
    const found = await env.approvalsOf(projectId);
    return found.length === 1 && found;
  });
  expect(first?.expiresAt.getTime()).toBe((first?.requestedAt.getTime() ?? 0) + WINDOW_MINUTES * 60_000);

  clock.advance((WINDOW_MINUTES - 1) * 60_000);
  await new Promise((resolve) => setTimeout(resolve, 300)); // a few sweeps: still within the window
  expect((await env.approvalsOf(projectId))[0]?.status).toBe('pending');

  clock.advance(2 * 60_000);
  await waitFor(async () => (await env.approvalsOf(projectId))[0]?.status === 'expired');
  await waitFor(() => eventsOf(projectId, 'hitl.approval.expired.v1').length === 1);
  const [expired] = await env.approvalsOf(projectId);
  expect(expired?.audit.map((record) => [record.action, record.actor.id])).toEqual([
    ['approval.requested', 'dm-1'],
    ['approval.expired', 'hitl'],
  ]);

  const late = await client(api, QA_1).post(`/approvals/${first?._id}/approve`);
  expect(late.status).toBe(409);
  expect(late.body.details).toMatchObject({ reason: 'not_pending', status: 'expired' });

  // Asking again (e.g. a manual resume) for the same generation.
  await env.evaluate({ projectId, stage: '3_build' });
  await waitFor(async () => (await env.approvalsOf(projectId)).length === 2);
  const [, second] = await env.approvalsOf(projectId);
  expect(second).toMatchObject({
    status: 'pending',
    generation: 1,
    attempt: 2,
    previousApprovalId: first?._id,
  });
  await waitFor(() => eventsOf(projectId, 'hitl.approval.requested.v1').length === 2);
  expect(eventsOf(projectId, 'hitl.approval.requested.v1')[1]?.body.payload.previousApprovalId).toBe(
    first?._id,
  );
  expect((await client(api, QA_1).post(`/approvals/${second?._id}/approve`)).status).toBe(200);
});

it('refuses a decision on an approval past its window before the sweeper saw it, and expires it then', async () => {
  const { url: noSweepApi } = await env.startApi({ EXPIRY_SWEEP_INTERVAL_MS: 3_600_000 }, clock.now);
  const projectId = `project-${randomUUID()}`;
  await env.evaluate({ projectId, stage: '3_build' });
  const [approval] = await waitFor(async () => {
    const found = await env.approvalsOf(projectId);
    return found.length === 1 && found;
  });
  // The first API's sweeper would expire it too: compare what the answer says, not who wrote it.
  clock.advance((WINDOW_MINUTES + 1) * 60_000);
  const answer = await client(noSweepApi, QA_1).post(`/approvals/${approval?._id}/approve`);
  expect(answer.status).toBe(409);
  expect(answer.body.details.status).toBe('expired');
  const [stored] = await env.approvalsOf(projectId);
  expect(stored).toMatchObject({ status: 'expired', votes: [] });
  expect(stored?.audit.filter((record) => record.action === 'approval.expired')).toHaveLength(1);
});
