import { type Actor, type GateConfig, hitlEvents, type Identity } from '@delivery/contracts';
import {
  type Approval,
  type ApprovalChange,
  approve,
  isRefusal,
  openApproval,
  type Refusal,
  refusalFor,
  sendBack,
} from './approval.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const requester: Actor = { kind: 'user', id: 'u-rita', name: 'Rita Requester' };
const person = (id: string, roles: string[] = ['qa_lead']): Identity => ({
  kind: 'user',
  id,
  name: id,
  roles,
});
const actor = ({ kind, id, name }: Identity): Actor => ({ kind, id, name });
const ann = person('u-ann');
const cat = person('u-cat', ['release_manager']);

const gate: GateConfig = {
  required: true,
  point: 'after',
  approverRoles: ['qa_lead', 'release_manager'],
  approvalsNeeded: 2,
  expiresAfterMinutes: 60,
  allowSelfApproval: false,
};

const open = (): Approval =>
  openApproval(
    {
      projectId: 'p-1',
      stage: '4_test',
      generation: 1,
      point: 'after',
      requestedBy: requester,
      responsiblePeople: [],
      context: {},
    },
    { gate, decidedBy: 'global' },
    { attempt: 1, previousApprovalId: null },
    T0,
  ).approval;

function changed(outcome: ApprovalChange | Refusal): ApprovalChange {
  if (isRefusal(outcome))
    throw new Error(`expected a change, got refusal ${outcome.refused}: ${outcome.message}`);
  return outcome;
}

describe('sendBack', () => {
  test('one approver ends it with their comment, even after others approved', () => {
    const voted = changed(approve(open(), ann, null, at(1))).approval;
    const before = structuredClone(voted);
    const change = changed(sendBack(voted, cat, 'tests are red on main', at(2)));

    expect(voted).toEqual(before);
    expect(change.approval).toEqual({
      ...voted,
      status: 'sent_back',
      sentBack: { by: actor(cat), at: at(2), comment: 'tests are red on main' },
      closedAt: at(2),
    });
    const [event] = change.events;
    expect(change.events).toHaveLength(1);
    expect(hitlEvents.sentBack.parse(event)).toEqual(event);
    expect(event).toMatchObject({ type: 'hitl.approval.sent_back.v1', occurredAt: at(2).toISOString() });
    expect(event?.payload).toEqual({
      approvalId: voted.id,
      projectId: 'p-1',
      stage: '4_test',
      generation: 1,
      point: 'after',
      by: actor(cat),
      comment: 'tests are red on main',
    });
    expect(change.audit).toEqual([
      {
        id: expect.any(String),
        at: at(2),
        action: 'approval.sent_back',
        actor: actor(cat),
        projectId: 'p-1',
        stage: '4_test',
        approvalId: voted.id,
        comment: 'tests are red on main',
        before: 'pending',
        after: 'sent_back',
      },
    ]);
  });

  test('a sent-back approval can no longer be approved', () => {
    const sentBack = changed(sendBack(open(), ann, 'wrong template', at(1))).approval;
    expect(approve(sentBack, cat, null, at(2))).toEqual({
      refused: 'not_pending',
      message: 'the approval is sent_back',
    });
  });

  const service: Identity = { kind: 'service', id: 'pipeline', name: 'pipeline', roles: ['qa_lead'] };
  test.each([
    ['missing_role', open(), person('u-dev', ['developer']), at(1)],
    ['not_a_person', open(), service, at(1)],
    ['expired', open(), ann, at(60)],
    ['not_pending', { ...open(), status: 'granted', closedAt: T0 } satisfies Approval, ann, at(1)],
  ] as const)('is refused as %s, changing nothing', (code, approval, who, now) => {
    const before = structuredClone(approval);
    const outcome = sendBack(approval, who, 'no', now);
    expect(approval).toEqual(before);
    expect(isRefusal(outcome) && outcome.refused).toBe(code);
  });
});

describe('refusalFor', () => {
  test('has nothing against a person with one of the roles while the approval is open', () => {
    expect(refusalFor(open(), ann, at(1))).toBeUndefined();
    expect(refusalFor(open(), cat, at(59))).toBeUndefined();
  });

  test('leaves self-approval to approve: the requester may still send their own request back', () => {
    const rita = person(requester.id);
    expect(refusalFor(open(), rita, at(1))).toBeUndefined();
    expect(approve(open(), rita, null, at(1))).toMatchObject({ refused: 'self_approval' });
    expect(changed(sendBack(open(), rita, 'asked too early', at(1))).approval.status).toBe('sent_back');
  });

  test('a person responsible for the work may send it back: a rejection lets nothing through', () => {
    const bea = person('u-bea');
    const byPipeline = openApproval(
      {
        projectId: 'p-1',
        stage: '3_build',
        generation: 1,
        point: 'after',
        requestedBy: { kind: 'service', id: 'pipeline', name: 'pipeline' },
        responsiblePeople: [{ id: 'u-bea', name: 'Bea', reasons: ['uploaded_artifact'] }],
        context: {},
      },
      { gate, decidedBy: 'global' },
      { attempt: 1, previousApprovalId: null },
      T0,
    ).approval;
    expect(refusalFor(byPipeline, bea, at(1))).toBeUndefined();
    expect(approve(byPipeline, bea, null, at(1))).toMatchObject({ refused: 'self_approval' });
    expect(
      changed(sendBack(byPipeline, bea, 'wrong zip, I will upload again', at(1))).approval,
    ).toMatchObject({ status: 'sent_back', sentBack: { by: actor(bea) } });
  });
});
