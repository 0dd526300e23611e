import type { GatePoint, Identity, Stage } from '@delivery/contracts';
import { eventEntry, type OutboxWritten, WITHOUT_OUTBOX_FIELDS } from '@delivery/messaging';
import { type CursorPosition, encodeCursor, NotFoundError } from '@delivery/service-kit';
import type { QueryFilter } from 'mongoose';
import type { Approval, ApprovalChange } from '../domain/approval.js';
import type { ApprovalDocument, ApprovalModel } from './approval-model.js';

/** An approval as read, with the revision a change to it must be conditional on. */
export type StoredApproval = Approval & { revision: number };

export interface InboxFilter {
  projectId?: string;
  stage?: Stage;
  role?: string;
}

/** Approvals: reads, and every change written with its audit records and events in one update. */
export class ApprovalStore {
  constructor(
    private readonly model: ApprovalModel,
    private readonly written: OutboxWritten,
  ) {}

  async get(id: string): Promise<StoredApproval> {
    const found = await this.model
      .findById(id, { ...WITHOUT_OUTBOX_FIELDS, audit: 0 })
      .lean<ApprovalDocument>();
    if (!found) throw new NotFoundError(`approval ${id} not found`, { id });
    return fromDocument(found);
  }

  /** An approval with its audit trail, oldest record first. */
  async withAudit(id: string) {
    const found = await this.model.findById(id, WITHOUT_OUTBOX_FIELDS).lean<ApprovalDocument>();
    if (!found) throw new NotFoundError(`approval ${id} not found`, { id });
    return { approval: fromDocument(found), audit: found.audit };
  }

  /** Every approval asked for at this stage and point of the project, all generations. */
  async atGate(projectId: string, stage: Stage, point: GatePoint): Promise<StoredApproval[]> {
    const found = await this.model
      .find({ projectId, stage, point }, { ...WITHOUT_OUTBOX_FIELDS, audit: 0 })
      .lean<ApprovalDocument[]>();
    return found.map(fromDocument);
  }

  /**
   * Stores a new approval. False when one with the same project, stage, generation, point and
   * attempt exists already: a concurrent or repeated command got there first.
   */
  async insert(change: ApprovalChange): Promise<boolean> {
    const entries = change.events.map((event) => eventEntry(event));
    const { id, ...approval } = change.approval;
    const document: ApprovalDocument = {
      _id: id,
      ...approval,
      revision: 1,
      audit: change.audit,
      outbox: entries,
    };
    try {
      await this.model.collection.insertOne(document as never);
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    this.written(id, entries);
    return true;
  }

  /** Writes a change decided on `revision`; false when the approval changed meanwhile (decide again). */
  async apply(revision: number, change: ApprovalChange): Promise<StoredApproval | undefined> {
    const entries = change.events.map((event) => eventEntry(event));
    // The change was decided on a stored approval: its revision is the condition, not a field to set.
    const { id, revision: _revision, ...state } = change.approval as StoredApproval;
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, revision },
        {
          $set: state,
          $inc: { revision: 1 },
          $push: { audit: { $each: change.audit }, outbox: { $each: entries } },
        },
        { returnDocument: 'after', projection: { ...WITHOUT_OUTBOX_FIELDS, audit: 0 } },
      )
      .lean<ApprovalDocument>();
    if (!updated) return undefined;
    this.written(id, entries);
    return fromDocument(updated);
  }

  /**
   * Pending approvals this person may approve, newest first. The filter mirrors
   * `approvalRefusalFor` (domain/approval.ts), the one place that decides it, so that the inbox is
   * a query rather than a scan of every pending approval.
   */
  async inbox(person: Identity, filter: InboxFilter, now: Date, limit: number, after?: CursorPosition) {
    const roles = filter.role ? person.roles.filter((role) => role === filter.role) : [...person.roles];
    const query: QueryFilter<ApprovalDocument> = {
      status: 'pending',
      expiresAt: { $gt: now },
      'gate.approverRoles': { $in: roles },
      'votes.by.id': { $ne: person.id },
      $and: [
        {
          $or: [
            { 'gate.allowSelfApproval': true },
            {
              'responsiblePeople.id': { $ne: person.id },
              $or: [{ 'requestedBy.id': { $ne: person.id } }, { 'requestedBy.kind': { $ne: person.kind } }],
            },
          ],
        },
        ...(after ? [requestedBefore(after)] : []),
      ],
      ...(filter.projectId ? { projectId: filter.projectId } : {}),
      ...(filter.stage ? { stage: filter.stage } : {}),
    };
    const found = await this.model
      .find(query, { ...WITHOUT_OUTBOX_FIELDS, audit: 0 })
      .sort({ requestedAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<ApprovalDocument[]>();
    const items = found.slice(0, limit).map(fromDocument);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        found.length > limit && last ? encodeCursor({ createdAt: last.requestedAt, id: last.id }) : null,
    };
  }

  /** Pending approvals past their window, oldest first. */
  async overdue(now: Date, limit: number): Promise<StoredApproval[]> {
    const found = await this.model
      .find({ status: 'pending', expiresAt: { $lte: now } }, { ...WITHOUT_OUTBOX_FIELDS, audit: 0 })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean<ApprovalDocument[]>();
    return found.map(fromDocument);
  }

  /** The audit records of every approval of a project. */
  async auditOfProject(projectId: string) {
    const found = await this.model
      .find({ projectId }, { audit: 1 })
      .lean<Pick<ApprovalDocument, '_id' | 'audit'>[]>();
    return found.flatMap((approval) => approval.audit);
  }

  async pendingOfProject(projectId: string): Promise<StoredApproval[]> {
    const found = await this.model
      .find({ projectId, status: 'pending' }, { ...WITHOUT_OUTBOX_FIELDS, audit: 0 })
      .lean<ApprovalDocument[]>();
    return found.map(fromDocument);
  }

  async ofProject(projectId: string): Promise<StoredApproval[]> {
    const found = await this.model
      .find({ projectId }, { ...WITHOUT_OUTBOX_FIELDS, audit: 0 })
      .sort({ requestedAt: 1 })
      .lean<ApprovalDocument[]>();
    return found.map(fromDocument);
  }
}

function fromDocument(
  document: Omit<ApprovalDocument, 'outbox' | 'audit'> & { audit?: unknown },
): StoredApproval {
  const { _id, audit: _audit, ...rest } = document as ApprovalDocument;
  const { outbox: _outbox, ...approval } = rest;
  // Approvals stored before the list existed name nobody but their requester.
  return { id: _id, ...approval, responsiblePeople: approval.responsiblePeople ?? [] };
}

const requestedBefore = (position: CursorPosition) => ({
  $or: [
    { requestedAt: { $lt: position.createdAt } },
    { requestedAt: position.createdAt, _id: { $lt: position.id } },
  ],
});

export const isDuplicateKey = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
