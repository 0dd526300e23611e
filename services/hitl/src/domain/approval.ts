import { randomUUID } from 'node:crypto';
import {
  type Actor,
  type ApprovalStatus,
  actorOf,
  type Envelope,
  type GateConfig,
  type GatePoint,
  type GateRule,
  hitlEvents,
  type Identity,
  RESPONSIBILITY_LABELS,
  type ResponsiblePerson,
  type Stage,
} from '@delivery/contracts';
import type { AuditRecord } from './audit.js';

export interface Vote {
  by: Actor;
  at: Date;
  comment: string | null;
}

/** One request for approval of one stage generation at one gate point. */
export interface Approval {
  id: string;
  projectId: string;
  stage: Stage;
  generation: number;
  point: GatePoint;
  /** 1 for the first request of this generation and point; one more for each re-request after expiry. */
  attempt: number;
  status: ApprovalStatus;
  /** The gate as it was resolved when asked: later config changes do not move the goalposts. */
  gate: GateConfig;
  decidedBy: GateRule;
  requestedBy: Actor;
  /**
   * The people whose work the approval reviews, as the asker named them; with `requestedBy`, the
   * people who may not approve it unless the gate allows self-approval. Empty on approvals asked
   * for before the list existed.
   */
  responsiblePeople: ResponsiblePerson[];
  context: Record<string, unknown>;
  votes: Vote[];
  sentBack: { by: Actor; at: Date; comment: string } | null;
  requestedAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
  /** The expired approval this one asks again for. */
  previousApprovalId: string | null;
  supersededByGeneration: number | null;
  /**
   * The per-project sequence of the command that asked for it (the pipeline's outbox numbers all
   * of a project's messages in one order): what an archive's announcement is compared with, so
   * only approvals asked before the archive are withdrawn. Absent on older approvals.
   */
  requestSequence?: number | null;
}

/** A change to an approval: its new state, the audit records and the events it causes. */
export interface ApprovalChange {
  approval: Approval;
  audit: AuditRecord[];
  events: Envelope[];
}

export type RefusalCode =
  | 'not_pending'
  | 'expired'
  | 'already_voted'
  | 'self_approval'
  | 'missing_role'
  | 'not_a_person';

/** Why a person may not decide an approval; nothing changes. */
export interface Refusal {
  refused: RefusalCode;
  message: string;
}

/** The system acting on its own (expiry, supersession). */
export const HITL_ACTOR: Actor = { kind: 'service', id: 'hitl', name: 'hitl' };

export interface ApprovalRequest {
  projectId: string;
  stage: Stage;
  generation: number;
  point: GatePoint;
  requestedBy: Actor;
  responsiblePeople: ResponsiblePerson[];
  context: Record<string, unknown>;
}

export function openApproval(
  request: ApprovalRequest,
  resolved: { gate: GateConfig; decidedBy: GateRule },
  asked: { attempt: number; previousApprovalId: string | null; requestSequence?: number | null },
  now: Date,
): ApprovalChange {
  const approval: Approval = {
    id: randomUUID(),
    ...request,
    ...asked,
    status: 'pending',
    gate: resolved.gate,
    decidedBy: resolved.decidedBy,
    votes: [],
    sentBack: null,
    requestedAt: now,
    expiresAt: new Date(now.getTime() + resolved.gate.expiresAfterMinutes * 60_000),
    closedAt: null,
    supersededByGeneration: null,
  };
  const event = hitlEvents.requested.create(
    {
      ...ref(approval),
      approverRoles: approval.gate.approverRoles,
      approvalsNeeded: approval.gate.approvalsNeeded,
      expiresAt: approval.expiresAt.toISOString(),
      requestedBy: request.requestedBy,
      previousApprovalId: asked.previousApprovalId,
    },
    { occurredAt: now },
  );
  return {
    approval,
    audit: [audit(approval, 'approval.requested', request.requestedBy, now, { after: summary(approval) })],
    events: [event],
  };
}

/**
 * Why this person may not decide this approval now, or undefined when they may. The one place
 * this is decided (the inbox query mirrors it).
 */
export function refusalFor(approval: Approval, person: Identity, now: Date): Refusal | undefined {
  if (approval.status !== 'pending') {
    return { refused: 'not_pending', message: `the approval is ${approval.status}` };
  }
  if (isOverdue(approval, now)) {
    return { refused: 'expired', message: `the approval expired at ${approval.expiresAt.toISOString()}` };
  }
  if (person.kind !== 'user')
    return { refused: 'not_a_person', message: 'only a person can decide an approval' };
  if (!approval.gate.approverRoles.some((role) => person.roles.includes(role))) {
    return {
      refused: 'missing_role',
      message: `deciding needs one of the roles ${approval.gate.approverRoles.join(', ')}`,
    };
  }
  return undefined;
}

/**
 * Why this person may not approve now: `refusalFor`, then having approved already, then, unless
 * the gate allows self-approval, having asked for it or being responsible for the work it reviews
 * (matched by id: whoever asked, a gate the pipeline asks for by itself is still someone's work).
 */
export function approvalRefusalFor(approval: Approval, person: Identity, now: Date): Refusal | undefined {
  const refusal = refusalFor(approval, person, now);
  if (refusal) return refusal;
  if (approval.votes.some((vote) => vote.by.id === person.id)) {
    return { refused: 'already_voted', message: `${person.id} has already approved` };
  }
  if (approval.gate.allowSelfApproval) return undefined;
  if (isRequester(approval, person)) {
    return {
      refused: 'self_approval',
      message: 'this gate does not let the requester approve their own request',
    };
  }
  const responsible = approval.responsiblePeople.find((someone) => someone.id === person.id);
  if (responsible) {
    const what = responsible.reasons.map((reason) => RESPONSIBILITY_LABELS[reason]).join(', ');
    return {
      refused: 'self_approval',
      message: `you are responsible for the work under review (${what}), and this gate does not let the people responsible approve it`,
    };
  }
  return undefined;
}

/** Approve: counted once per distinct person; granted when the gate's N people have approved. */
export function approve(
  approval: Approval,
  person: Identity,
  comment: string | null,
  now: Date,
): ApprovalChange | Refusal {
  const refusal = approvalRefusalFor(approval, person, now);
  if (refusal) return refusal;
  const by = actorOf(person);
  const votes = [...approval.votes, { by, at: now, comment }];
  const granted = votes.length >= approval.gate.approvalsNeeded;
  const next: Approval = { ...approval, votes, ...(granted ? { status: 'granted', closedAt: now } : {}) };
  const records = [audit(next, 'approval.approved', by, now, { comment })];
  if (!granted) {
    return {
      approval: next,
      audit: records,
      events: [
        hitlEvents.voteRecorded.create(
          { ...ref(next), by, approvals: votes.length, approvalsNeeded: next.gate.approvalsNeeded },
          { occurredAt: now },
        ),
      ],
    };
  }
  return {
    approval: next,
    audit: [...records, audit(next, 'approval.granted', by, now, { before: 'pending', after: 'granted' })],
    events: [
      hitlEvents.granted.create(
        { ...ref(next), approvers: votes.map((vote) => vote.by) },
        { occurredAt: now },
      ),
    ],
  };
}

/**
 * Send back for rework: one person with the role is enough, and says why. The people responsible
 * for the work may send it back too (withdraw it): a send-back lets nothing through, so it needs
 * no second pair of eyes.
 */
export function sendBack(
  approval: Approval,
  person: Identity,
  comment: string,
  now: Date,
): ApprovalChange | Refusal {
  const refusal = refusalFor(approval, person, now);
  if (refusal) return refusal;
  const by = actorOf(person);
  const next: Approval = {
    ...approval,
    status: 'sent_back',
    sentBack: { by, at: now, comment },
    closedAt: now,
  };
  return {
    approval: next,
    audit: [audit(next, 'approval.sent_back', by, now, { comment, before: 'pending', after: 'sent_back' })],
    events: [hitlEvents.sentBack.create({ ...ref(next), by, comment }, { occurredAt: now })],
  };
}

/** A person asked for it themselves (a service asking on its own is nobody's own request). */
const isRequester = (approval: Approval, person: Identity): boolean =>
  approval.requestedBy.kind === person.kind && approval.requestedBy.id === person.id;

export const isOverdue = (approval: Approval, now: Date): boolean =>
  approval.status === 'pending' && approval.expiresAt.getTime() <= now.getTime();

/** Expire a pending approval past its window; undefined when it is not. */
export function expire(approval: Approval, now: Date): ApprovalChange | undefined {
  if (!isOverdue(approval, now)) return undefined;
  const next: Approval = { ...approval, status: 'expired', closedAt: now };
  return {
    approval: next,
    audit: [audit(next, 'approval.expired', HITL_ACTOR, now, { before: 'pending', after: 'expired' })],
    events: [
      hitlEvents.expired.create(
        { ...ref(next), expiresAt: next.expiresAt.toISOString() },
        { occurredAt: now },
      ),
    ],
  };
}

/** A newer generation of the stage was asked about: an approval still pending is moot. */
export function supersede(approval: Approval, byGeneration: number, now: Date): ApprovalChange | undefined {
  if (approval.status !== 'pending' || byGeneration <= approval.generation) return undefined;
  const next: Approval = {
    ...approval,
    status: 'superseded',
    supersededByGeneration: byGeneration,
    closedAt: now,
  };
  return {
    approval: next,
    audit: [
      audit(next, 'approval.superseded', HITL_ACTOR, now, {
        before: 'pending',
        after: 'superseded',
        comment: `generation ${byGeneration} was asked about`,
      }),
    ],
    events: [hitlEvents.superseded.create({ ...ref(next), byGeneration }, { occurredAt: now })],
  };
}

/**
 * The project was archived (announced with `archivedAt`, its sequence): a pending approval asked
 * before that can no longer be decided, and says why. One asked after it (the project was
 * restored meanwhile) stays.
 */
export function withdraw(approval: Approval, archivedAt: number, now: Date): ApprovalChange | undefined {
  if (approval.status !== 'pending') return undefined;
  if ((approval.requestSequence ?? 0) > archivedAt) return undefined;
  const next: Approval = { ...approval, status: 'withdrawn', closedAt: now };
  return {
    approval: next,
    audit: [
      audit(next, 'approval.withdrawn', HITL_ACTOR, now, {
        before: 'pending',
        after: 'withdrawn',
        comment: 'the project was archived',
      }),
    ],
    events: [hitlEvents.withdrawn.create({ ...ref(next), reason: 'project_archived' }, { occurredAt: now })],
  };
}

export const isRefusal = (outcome: ApprovalChange | Refusal): outcome is Refusal => 'refused' in outcome;

const ref = (approval: Approval) => ({
  approvalId: approval.id,
  projectId: approval.projectId,
  stage: approval.stage,
  generation: approval.generation,
  point: approval.point,
});

const summary = (approval: Approval) => ({
  status: approval.status,
  gate: approval.gate,
  decidedBy: approval.decidedBy,
  attempt: approval.attempt,
  expiresAt: approval.expiresAt.toISOString(),
  previousApprovalId: approval.previousApprovalId,
});

function audit(
  approval: Approval,
  action: AuditRecord['action'],
  actor: Actor,
  at: Date,
  details: Partial<Pick<AuditRecord, 'comment' | 'before' | 'after'>>,
): AuditRecord {
  return {
    id: randomUUID(),
    at,
    action,
    actor,
    projectId: approval.projectId,
    stage: approval.stage,
    approvalId: approval.id,
    comment: details.comment ?? null,
    before: details.before ?? null,
    after: details.after ?? null,
  };
}
