import type { ApprovalStatus, GateConfig, GatePoint } from '@delivery/contracts';
import { type Approval, openApproval } from './approval.js';
import { decideEvaluation } from './evaluation.js';
import type { ResolvedGate } from './gate-resolution.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const afterReview: GateConfig = {
  required: true,
  point: 'after',
  approverRoles: ['qa_lead'],
  approvalsNeeded: 1,
  expiresAfterMinutes: 60,
  allowSelfApproval: false,
};
const notRequired: GateConfig = { ...afterReview, required: false };

const resolved = (gate: GateConfig): ResolvedGate => ({
  stage: '3_build',
  gate,
  decidedBy: 'global',
  layers: [],
});

interface Asked {
  generation: number;
  point?: GatePoint;
  status?: ApprovalStatus;
  attempt?: number;
}

/** An approval of 3_build as the store would hold it, opened at T0 with the after-review gate. */
function approval({ generation, point = 'after', status = 'pending', attempt = 1 }: Asked): Approval {
  const opened = openApproval(
    {
      projectId: 'p-1',
      stage: '3_build',
      generation,
      point,
      requestedBy: { kind: 'service', id: 'pipeline', name: 'pipeline' },
      responsiblePeople: [],
      context: {},
    },
    { gate: afterReview, decidedBy: 'global' },
    { attempt, previousApprovalId: null },
    T0,
  ).approval;
  return { ...opened, status, closedAt: status === 'pending' ? null : T0 };
}

const evaluate = (
  generation: number,
  gate: GateConfig,
  approvals: Approval[],
  now = at(10),
  point: GatePoint = 'after',
) => decideEvaluation({ generation, point }, resolved(gate), approvals, now);

describe('decideEvaluation with nothing asked yet', () => {
  test('a gate that is not required lets the generation pass', () => {
    expect(evaluate(1, notRequired, [])).toEqual({
      outcome: { kind: 'pass', reason: 'not_required', approvalId: null },
      expire: [],
      supersede: [],
    });
  });

  test('a gate required at the other point lets this point pass', () => {
    expect(evaluate(1, afterReview, [], at(10), 'before').outcome).toEqual({
      kind: 'pass',
      reason: 'not_required',
      approvalId: null,
    });
  });

  test('a required gate opens attempt 1', () => {
    expect(evaluate(1, afterReview, [])).toEqual({
      outcome: { kind: 'open', attempt: 1, previousApprovalId: null },
      expire: [],
      supersede: [],
    });
  });
});

describe('decideEvaluation of a generation asked about before', () => {
  test('an open approval is waited on, even if the gate was switched off since', () => {
    const pending = approval({ generation: 1 });
    for (const gate of [afterReview, notRequired]) {
      expect(evaluate(1, gate, [pending])).toEqual({
        outcome: { kind: 'wait', approvalId: pending.id },
        expire: [],
        supersede: [],
      });
    }
  });

  test('an open approval past its window is expired and asked again, linked to it', () => {
    const overdue = approval({ generation: 1 });
    expect(evaluate(1, afterReview, [overdue], at(60))).toEqual({
      outcome: { kind: 'open', attempt: 2, previousApprovalId: overdue.id },
      expire: [overdue],
      supersede: [],
    });
  });

  test('an overdue approval of a gate switched off since is expired, and the generation passes', () => {
    const overdue = approval({ generation: 1 });
    expect(evaluate(1, notRequired, [overdue], at(61))).toEqual({
      outcome: { kind: 'pass', reason: 'not_required', approvalId: null },
      expire: [overdue],
      supersede: [],
    });
  });

  test('an expired approval is asked again as the next attempt, linked to the latest one', () => {
    const first = approval({ generation: 1, status: 'expired', attempt: 1 });
    const second = approval({ generation: 1, status: 'expired', attempt: 2 });
    expect(evaluate(1, afterReview, [first]).outcome).toEqual({
      kind: 'open',
      attempt: 2,
      previousApprovalId: first.id,
    });
    for (const order of [
      [first, second],
      [second, first],
    ]) {
      expect(evaluate(1, afterReview, order)).toEqual({
        outcome: { kind: 'open', attempt: 3, previousApprovalId: second.id },
        expire: [],
        supersede: [],
      });
    }
  });

  test('a granted approval lets the generation pass, whatever the gate says now', () => {
    const expired = approval({ generation: 1, status: 'expired', attempt: 1 });
    const granted = approval({ generation: 1, status: 'granted', attempt: 2 });
    for (const gate of [afterReview, notRequired]) {
      expect(evaluate(1, gate, [expired, granted], at(500))).toEqual({
        outcome: { kind: 'pass', reason: 'already_granted', approvalId: granted.id },
        expire: [],
        supersede: [],
      });
    }
  });

  test('a sent-back generation stays sent back: the rework comes as a new generation', () => {
    const sentBack = approval({ generation: 1, status: 'sent_back' });
    expect(evaluate(1, afterReview, [sentBack])).toEqual({
      outcome: { kind: 'ignore', why: 'generation 1 was sent back' },
      expire: [],
      supersede: [],
    });
  });

  test('a superseded generation is not asked again', () => {
    const superseded = approval({ generation: 1, status: 'superseded' });
    expect(evaluate(1, afterReview, [superseded]).outcome).toEqual({
      kind: 'ignore',
      why: 'generation 1 was superseded',
    });
  });
});

describe('decideEvaluation across generations', () => {
  test.each(['pending', 'granted', 'sent_back', 'expired'] as const)(
    'is ignored once a newer generation was asked about (its approval %s), touching nothing',
    (status) => {
      const own = approval({ generation: 1 });
      const newer = approval({ generation: 2, status });
      expect(evaluate(1, afterReview, [own, newer], at(120))).toEqual({
        outcome: { kind: 'ignore', why: 'generation 2 was asked about already' },
        expire: [],
        supersede: [],
      });
    },
  );

  test('supersedes the pending approvals of older generations, and only those', () => {
    const olderPending = approval({ generation: 1 });
    const olderPendingToo = approval({ generation: 2, attempt: 2 });
    const olderGranted = approval({ generation: 2, status: 'granted' });
    const olderSentBack = approval({ generation: 2, status: 'sent_back', attempt: 3 });
    const approvals = [olderPending, olderGranted, olderPendingToo, olderSentBack];
    const before = structuredClone(approvals);

    const required = evaluate(3, afterReview, approvals);
    expect(required.outcome).toEqual({ kind: 'open', attempt: 1, previousApprovalId: null });
    expect(required.supersede).toEqual([olderPending, olderPendingToo]);
    expect(required.expire).toEqual([]);

    const passing = evaluate(3, notRequired, approvals);
    expect(passing.outcome).toEqual({ kind: 'pass', reason: 'not_required', approvalId: null });
    expect(passing.supersede).toEqual([olderPending, olderPendingToo]);

    expect(approvals).toEqual(before);
  });

  test('supersedes older generations while waiting on its own open approval', () => {
    const older = approval({ generation: 1 });
    const own = approval({ generation: 2 });
    expect(evaluate(2, afterReview, [older, own])).toEqual({
      outcome: { kind: 'wait', approvalId: own.id },
      expire: [],
      supersede: [older],
    });
  });
});

describe('decideEvaluation at one gate point', () => {
  test('does not consider approvals asked at the other point', () => {
    const before = (generation: number, status: ApprovalStatus = 'pending') =>
      approval({ generation, point: 'before', status });
    expect(evaluate(2, afterReview, [before(2)])).toEqual({
      outcome: { kind: 'open', attempt: 1, previousApprovalId: null },
      expire: [],
      supersede: [],
    });
    expect(evaluate(2, afterReview, [before(3)]).outcome.kind).toBe('open');
    expect(evaluate(2, afterReview, [before(1)]).supersede).toEqual([]);
    expect(evaluate(2, afterReview, [before(2, 'granted')]).outcome.kind).toBe('open');
    expect(evaluate(2, afterReview, [before(2)], at(90)).expire).toEqual([]);
  });
});
