import { type GateConfig, hitlEvents } from '@delivery/contracts';
import { type Approval, expire, HITL_ACTOR, isOverdue, openApproval, supersede } from './approval.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const gate: GateConfig = {
  required: true,
  point: 'before',
  approverRoles: ['delivery_manager'],
  approvalsNeeded: 1,
  expiresAfterMinutes: 30,
  allowSelfApproval: false,
};

const open = (generation = 2): Approval =>
  openApproval(
    {
      projectId: 'p-7',
      stage: '4_test',
      generation,
      point: 'before',
      requestedBy: { kind: 'service', id: 'pipeline', name: 'pipeline' },
      responsiblePeople: [],
      context: {},
    },
    { gate, decidedBy: 'global' },
    { attempt: 1, previousApprovalId: null },
    T0,
  ).approval;

const CLOSED = ['granted', 'sent_back', 'expired', 'superseded'] as const;

describe('expire', () => {
  test('does nothing to a pending approval inside its window', () => {
    const pending = open();
    expect(isOverdue(pending, at(29))).toBe(false);
    expect(expire(pending, at(29))).toBeUndefined();
    expect(expire(pending, new Date(at(30).getTime() - 1))).toBeUndefined();
  });

  test('expires a pending approval from the end of its window, as the service', () => {
    const pending = open();
    const before = structuredClone(pending);
    const change = expire(pending, at(45));
    expect(pending).toEqual(before);
    expect(change?.approval).toEqual({ ...pending, status: 'expired', closedAt: at(45) });
    expect(change?.events).toHaveLength(1);
    const [event] = change?.events ?? [];
    expect(hitlEvents.expired.parse(event)).toEqual(event);
    expect(event).toMatchObject({ type: 'hitl.approval.expired.v1', occurredAt: at(45).toISOString() });
    expect(event?.payload).toEqual({
      approvalId: pending.id,
      projectId: 'p-7',
      stage: '4_test',
      generation: 2,
      point: 'before',
      expiresAt: at(30).toISOString(),
    });
    expect(change?.audit).toEqual([
      {
        id: expect.any(String),
        at: at(45),
        action: 'approval.expired',
        actor: HITL_ACTOR,
        projectId: 'p-7',
        stage: '4_test',
        approvalId: pending.id,
        comment: null,
        before: 'pending',
        after: 'expired',
      },
    ]);
    expect(expire(pending, at(30))?.approval.status).toBe('expired');
  });

  test.each(CLOSED)('leaves a %s approval alone, however late', (status) => {
    const closed: Approval = { ...open(), status, closedAt: at(1) };
    expect(isOverdue(closed, at(600))).toBe(false);
    expect(expire(closed, at(600))).toBeUndefined();
  });
});

describe('supersede', () => {
  test('a newer generation makes a pending approval moot', () => {
    const pending = open(2);
    const before = structuredClone(pending);
    const change = supersede(pending, 3, at(5));
    expect(pending).toEqual(before);
    expect(change?.approval).toEqual({
      ...pending,
      status: 'superseded',
      supersededByGeneration: 3,
      closedAt: at(5),
    });
    const [event] = change?.events ?? [];
    expect(change?.events).toHaveLength(1);
    expect(hitlEvents.superseded.parse(event)).toEqual(event);
    expect(event).toMatchObject({ type: 'hitl.approval.superseded.v1', occurredAt: at(5).toISOString() });
    expect(event?.payload).toEqual({
      approvalId: pending.id,
      projectId: 'p-7',
      stage: '4_test',
      generation: 2,
      point: 'before',
      byGeneration: 3,
    });
    expect(change?.audit).toEqual([
      expect.objectContaining({
        at: at(5),
        action: 'approval.superseded',
        actor: HITL_ACTOR,
        approvalId: pending.id,
        comment: 'generation 3 was asked about',
        before: 'pending',
        after: 'superseded',
      }),
    ]);
  });

  test('the same or an older generation supersedes nothing', () => {
    expect(supersede(open(2), 2, at(5))).toBeUndefined();
    expect(supersede(open(2), 1, at(5))).toBeUndefined();
  });

  test.each(CLOSED)('leaves a %s approval alone', (status) => {
    expect(supersede({ ...open(2), status, closedAt: at(1) }, 5, at(5))).toBeUndefined();
  });
});
