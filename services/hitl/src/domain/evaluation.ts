import type { GatePoint } from '@delivery/contracts';
import { type Approval, isOverdue } from './approval.js';
import { gateApplies, type ResolvedGate } from './gate-resolution.js';

export type EvaluationOutcome =
  /** The generation may go on: the gate asks nothing here, or an approval was granted already. */
  | { kind: 'pass'; reason: 'not_required' | 'already_granted'; approvalId: string | null }
  /** Ask for approval: a first request, or a fresh one linked to the one that expired. */
  | { kind: 'open'; attempt: number; previousApprovalId: string | null }
  /** An approval of this generation is open already (a repeated or concurrent command). */
  | { kind: 'wait'; approvalId: string }
  /** Nothing to do, and why (a newer generation was asked about, or this one was sent back). */
  | { kind: 'ignore'; why: string };

export interface Evaluation<A extends Approval = Approval> {
  outcome: EvaluationOutcome;
  /** Pending approvals past their window, to expire first. */
  expire: A[];
  /** Pending approvals of older generations of the stage, which this one supersedes. */
  supersede: A[];
}

/**
 * What asking "may generation g of this stage pass this gate point?" does, given the gate and
 * every approval already asked for at this stage and point (all generations). An approval of the
 * generation that is still open stands whatever the config says now; one that expired is asked
 * again; one sent back stays sent back (the rework comes as a new generation).
 */
export function decideEvaluation<A extends Approval>(
  request: { generation: number; point: GatePoint },
  resolved: ResolvedGate,
  approvals: readonly A[],
  now: Date,
): Evaluation<A> {
  const at = approvals.filter((approval) => approval.point === request.point);
  const newer = at.find((approval) => approval.generation > request.generation);
  if (newer) {
    return {
      outcome: { kind: 'ignore', why: `generation ${newer.generation} was asked about already` },
      expire: [],
      supersede: [],
    };
  }
  const supersede = at.filter(
    (approval) => approval.generation < request.generation && approval.status === 'pending',
  );
  const current = latestAttempt(at.filter((approval) => approval.generation === request.generation));
  const overdue = current && isOverdue(current, now) ? current : undefined;
  const expire = overdue ? [overdue] : [];
  const status = overdue ? 'expired' : current?.status;

  if (current && status === 'pending')
    return { outcome: { kind: 'wait', approvalId: current.id }, expire, supersede };
  if (current && status === 'granted') {
    return {
      outcome: { kind: 'pass', reason: 'already_granted', approvalId: current.id },
      expire,
      supersede,
    };
  }
  if (current && (status === 'sent_back' || status === 'superseded')) {
    return {
      outcome: { kind: 'ignore', why: `generation ${request.generation} was ${status.replace('_', ' ')}` },
      expire,
      supersede,
    };
  }
  if (!gateApplies(resolved.gate, request.point)) {
    return { outcome: { kind: 'pass', reason: 'not_required', approvalId: null }, expire, supersede };
  }
  return {
    outcome: {
      kind: 'open',
      attempt: (current?.attempt ?? 0) + 1,
      previousApprovalId: current?.id ?? null,
    },
    expire,
    supersede,
  };
}

function latestAttempt<A extends Approval>(approvals: readonly A[]): A | undefined {
  return approvals.reduce<A | undefined>(
    (latest, approval) => (!latest || approval.attempt > latest.attempt ? approval : latest),
    undefined,
  );
}
