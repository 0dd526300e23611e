import { type Actor, AUDIT_ACTIONS, type GateConfig, hitlEvents, type Identity } from '@delivery/contracts';
import {
  type Approval,
  type ApprovalChange,
  type ApprovalRequest,
  approve,
  isRefusal,
  openApproval,
  type Refusal,
} from './approval.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const requester: Actor = { kind: 'user', id: 'u-rita', name: 'Rita Requester' };
const person = (id: string, roles: string[] = ['qa_lead']): Identity => ({
  kind: 'user',
  id,
  name: `Person ${id}`,
  roles,
});
const actor = ({ kind, id, name }: Identity): Actor => ({ kind, id, name });
const ann = person('u-ann');
const bob = person('u-bob', ['developer', 'release_manager']);
const cat = person('u-cat');

/** Two of qa_lead / release_manager, within an hour, not the requester. */
const twoOfThree: GateConfig = {
  required: true,
  point: 'after',
  approverRoles: ['qa_lead', 'release_manager'],
  approvalsNeeded: 2,
  expiresAfterMinutes: 60,
  allowSelfApproval: false,
};

const request: ApprovalRequest = {
  projectId: 'p-1',
  stage: '3_build',
  generation: 2,
  point: 'after',
  requestedBy: requester,
  responsiblePeople: [{ id: requester.id, name: requester.name, reasons: ['requested'] }],
  context: { commit: 'abc123' },
};

const open = (
  gate: Partial<GateConfig> = {},
  asked = { attempt: 1, previousApprovalId: null as string | null },
) => openApproval(request, { gate: { ...twoOfThree, ...gate }, decidedBy: 'global' }, asked, T0).approval;

function changed(outcome: ApprovalChange | Refusal): ApprovalChange {
  if (isRefusal(outcome))
    throw new Error(`expected a change, got refusal ${outcome.refused}: ${outcome.message}`);
  return outcome;
}

/** Decides and checks the refusal left the approval exactly as it was. */
function expectRefused(approval: Approval, decide: (approval: Approval) => ApprovalChange | Refusal) {
  const before = structuredClone(approval);
  const outcome = decide(approval);
  expect(approval).toEqual(before);
  if (!isRefusal(outcome)) throw new Error(`expected a refusal, got status ${outcome.approval.status}`);
  expect(Object.keys(outcome).sort()).toEqual(['message', 'refused']);
  return outcome;
}

const ref = (approval: Approval) => ({
  approvalId: approval.id,
  projectId: 'p-1',
  stage: '3_build',
  generation: 2,
  point: 'after',
});

describe('openApproval', () => {
  test('opens a pending approval that expires after the gate window', () => {
    const { approval } = openApproval(
      request,
      { gate: twoOfThree, decidedBy: 'manual_review' },
      { attempt: 1, previousApprovalId: null },
      T0,
    );
    expect(approval).toEqual({
      id: expect.stringMatching(UUID),
      projectId: 'p-1',
      stage: '3_build',
      generation: 2,
      point: 'after',
      attempt: 1,
      status: 'pending',
      gate: twoOfThree,
      decidedBy: 'manual_review',
      requestedBy: requester,
      responsiblePeople: [{ id: requester.id, name: requester.name, reasons: ['requested'] }],
      context: { commit: 'abc123' },
      votes: [],
      sentBack: null,
      requestedAt: T0,
      expiresAt: at(60),
      closedAt: null,
      previousApprovalId: null,
      supersededByGeneration: null,
    });
    expect(open().id).not.toBe(open().id);
  });

  test('announces the request with who may approve, how many, until when, and what it re-asks', () => {
    const change = openApproval(
      request,
      { gate: twoOfThree, decidedBy: 'global' },
      { attempt: 3, previousApprovalId: 'a-prev' },
      T0,
    );
    expect(change.approval).toMatchObject({ attempt: 3, previousApprovalId: 'a-prev' });
    expect(change.events).toHaveLength(1);
    const [event] = change.events;
    expect(hitlEvents.requested.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      type: 'hitl.approval.requested.v1',
      version: 1,
      occurredAt: T0.toISOString(),
    });
    expect(event?.payload).toEqual({
      ...ref(change.approval),
      approverRoles: ['qa_lead', 'release_manager'],
      approvalsNeeded: 2,
      expiresAt: at(60).toISOString(),
      requestedBy: requester,
      previousApprovalId: 'a-prev',
    });
  });

  test('records who asked, when, and the approval as opened', () => {
    const change = openApproval(
      request,
      { gate: twoOfThree, decidedBy: 'global' },
      { attempt: 2, previousApprovalId: 'a-prev' },
      T0,
    );
    expect(change.audit).toEqual([
      {
        id: expect.stringMatching(UUID),
        at: T0,
        action: 'approval.requested',
        actor: requester,
        projectId: 'p-1',
        stage: '3_build',
        approvalId: change.approval.id,
        comment: null,
        before: null,
        after: {
          status: 'pending',
          gate: twoOfThree,
          decidedBy: 'global',
          attempt: 2,
          expiresAt: at(60).toISOString(),
          previousApprovalId: 'a-prev',
        },
      },
    ]);
  });
});

describe('approve', () => {
  test('counts distinct people and grants at N (two of three)', () => {
    const pending = open();
    const first = changed(approve(pending, ann, 'looks right', at(10)));
    expect(pending.votes).toEqual([]);
    expect(first.approval).toMatchObject({ status: 'pending', closedAt: null });
    expect(first.approval.votes).toEqual([{ by: actor(ann), at: at(10), comment: 'looks right' }]);
    expect(first.events.map((event) => event.type)).toEqual(['hitl.approval.vote_recorded.v1']);
    expect(first.events[0]?.payload).toEqual({
      ...ref(pending),
      by: actor(ann),
      approvals: 1,
      approvalsNeeded: 2,
    });
    expect(first.events[0]?.occurredAt).toBe(at(10).toISOString());
    expect(first.audit).toEqual([
      {
        id: expect.stringMatching(UUID),
        at: at(10),
        action: 'approval.approved',
        actor: actor(ann),
        projectId: 'p-1',
        stage: '3_build',
        approvalId: pending.id,
        comment: 'looks right',
        before: null,
        after: null,
      },
    ]);

    const second = changed(approve(first.approval, bob, null, at(20)));
    expect(second.approval).toMatchObject({ status: 'granted', closedAt: at(20) });
    expect(second.approval.votes.map((vote) => vote.by)).toEqual([actor(ann), actor(bob)]);
    expect(second.events.map((event) => event.type)).toEqual(['hitl.approval.granted.v1']);
    expect(hitlEvents.granted.parse(second.events[0])).toEqual(second.events[0]);
    expect(second.events[0]?.payload).toEqual({ ...ref(pending), approvers: [actor(ann), actor(bob)] });
    expect(
      second.audit.map((record) => [
        record.action,
        record.actor,
        record.comment,
        record.before,
        record.after,
      ]),
    ).toEqual([
      ['approval.approved', actor(bob), null, null, null],
      ['approval.granted', actor(bob), null, 'pending', 'granted'],
    ]);

    const third = expectRefused(second.approval, (approval) => approve(approval, cat, null, at(30)));
    expect(third).toEqual({ refused: 'not_pending', message: 'the approval is granted' });
  });

  test('a gate of one is granted by the first approval, without a vote_recorded event', () => {
    const change = changed(approve(open({ approvalsNeeded: 1 }), ann, null, at(1)));
    expect(change.approval.status).toBe('granted');
    expect(change.events.map((event) => event.type)).toEqual(['hitl.approval.granted.v1']);
  });

  test('the same person approving twice is refused, even under another name', () => {
    const once = changed(approve(open(), ann, null, at(1))).approval;
    const again = expectRefused(once, (approval) =>
      approve(approval, { ...ann, name: 'Ann (laptop)' }, null, at(2)),
    );
    expect(again.refused).toBe('already_voted');
    expect(again.message).toContain('u-ann');
  });

  test('the requester may not approve their own request unless the gate allows it', () => {
    const rita = person(requester.id, ['qa_lead']);
    const refused = expectRefused(open(), (approval) => approve(approval, rita, null, at(1)));
    expect(refused.refused).toBe('self_approval');

    const allowed = changed(approve(open({ allowSelfApproval: true }), rita, null, at(1)));
    expect(allowed.approval.votes.map((vote) => vote.by)).toEqual([actor(rita)]);
  });

  test('a person without one of the approver roles is refused', () => {
    const refused = expectRefused(open(), (approval) =>
      approve(approval, person('u-dev', ['developer']), null, at(1)),
    );
    expect(refused).toEqual({
      refused: 'missing_role',
      message: 'deciding needs one of the roles qa_lead, release_manager',
    });
    expect(isRefusal(approve(open(), person('u-nobody', []), null, at(1)))).toBe(true);
  });

  test('a service is refused even with an approver role', () => {
    const pipeline: Identity = {
      kind: 'service',
      id: 'pipeline',
      name: 'pipeline',
      roles: ['service', 'qa_lead'],
    };
    expect(expectRefused(open(), (approval) => approve(approval, pipeline, null, at(1))).refused).toBe(
      'not_a_person',
    );
  });

  test('a pending approval past its window is refused as expired, from the exact expiry instant', () => {
    expect(changed(approve(open(), ann, null, new Date(at(60).getTime() - 1))).approval.votes).toHaveLength(
      1,
    );
    const refused = expectRefused(open(), (approval) => approve(approval, ann, null, at(60)));
    expect(refused).toEqual({
      refused: 'expired',
      message: `the approval expired at ${at(60).toISOString()}`,
    });
  });

  test.each(['granted', 'sent_back', 'expired', 'superseded'] as const)(
    'a %s approval is refused with its state, whoever asks',
    (status) => {
      const closed: Approval = { ...open(), status, closedAt: at(5) };
      for (const who of [cat, person('u-dev', ['developer'])]) {
        expect(expectRefused(closed, (approval) => approve(approval, who, null, at(6)))).toEqual({
          refused: 'not_pending',
          message: `the approval is ${status}`,
        });
      }
    },
  );

  test('every audit action used is a known one', () => {
    const first = changed(approve(open(), ann, null, at(1)));
    const second = changed(approve(first.approval, cat, null, at(2)));
    for (const record of [...first.audit, ...second.audit]) expect(AUDIT_ACTIONS).toContain(record.action);
  });
});

describe('approve: the people responsible for the work', () => {
  const pipeline: Actor = { kind: 'service', id: 'pipeline', name: 'pipeline' };
  // Bea uploaded the artifact under review and holds an approver role; the pipeline asked by itself.
  const bea = person('u-bea', ['qa_lead']);
  const devi = person('u-devi', ['release_manager']);
  const byPipeline: ApprovalRequest = {
    ...request,
    requestedBy: pipeline,
    responsiblePeople: [
      { id: 'u-bea', name: 'Bea', reasons: ['uploaded_artifact'] },
      { id: 'u-devi', name: 'Devi', reasons: ['assignee'] },
    ],
  };
  const openByPipeline = (gate: Partial<GateConfig> = {}) =>
    openApproval(
      byPipeline,
      { gate: { ...twoOfThree, ...gate }, decidedBy: 'global' },
      { attempt: 1, previousApprovalId: null },
      T0,
    ).approval;

  test('the approval keeps them as asked', () => {
    expect(openByPipeline().responsiblePeople).toEqual(byPipeline.responsiblePeople);
  });

  test('none of them may approve when self-approval is off, though a service asked; nothing changes', () => {
    for (const who of [bea, devi]) {
      const refused = expectRefused(openByPipeline(), (approval) => approve(approval, who, null, at(1)));
      expect(refused.refused).toBe('self_approval');
    }
    expect(expectRefused(openByPipeline(), (approval) => approve(approval, bea, null, at(1)))).toEqual({
      refused: 'self_approval',
      message:
        'you are responsible for the work under review (uploaded an artifact), and this gate does not let the people responsible approve it',
    });
    // Someone else with the role may.
    expect(changed(approve(openByPipeline(), ann, null, at(1))).approval.votes).toHaveLength(1);
  });

  test('they may approve when the gate allows self-approval', () => {
    const first = changed(approve(openByPipeline({ allowSelfApproval: true }), bea, null, at(1)));
    const second = changed(approve(first.approval, devi, null, at(2)));
    expect(second.approval.status).toBe('granted');
    expect(second.approval.votes.map((vote) => vote.by.id)).toEqual(['u-bea', 'u-devi']);
  });

  test('they are matched by id, whatever name the token carries', () => {
    const renamed = { ...bea, name: 'B. (laptop)' };
    expect(
      expectRefused(openByPipeline(), (approval) => approve(approval, renamed, null, at(1))).refused,
    ).toBe('self_approval');
  });

  test('an approval without a list (asked before it existed) refuses the requester alone', () => {
    const old: Approval = { ...open(), responsiblePeople: [] };
    expect(
      expectRefused(old, (approval) => approve(approval, person(requester.id), null, at(1))).refused,
    ).toBe('self_approval');
    expect(changed(approve(old, ann, null, at(1))).approval.votes).toHaveLength(1);
  });
});
