import { APPROVAL_STATUSES, GATE_POINTS, STAGES } from '@delivery/contracts';
import { OUTBOX_SCAN_INDEX, type OutboxEntry, outboxEntrySchema } from '@delivery/messaging';
import { type Connection, type Model, Schema } from 'mongoose';
import type { Approval } from '../domain/approval.js';
import type { AuditRecord } from '../domain/audit.js';

/**
 * One document per approval (the stage_approvals of the design). Its audit trail lives on it,
 * appended in the same update as each change, so a decision and its record cannot part.
 * `revision` makes every change conditional on the state it was decided on.
 */
export type ApprovalDocument = Omit<Approval, 'id'> & {
  _id: string;
  revision: number;
  audit: AuditRecord[];
  outbox: OutboxEntry[];
};

const approvalSchema = new Schema<ApprovalDocument>(
  {
    _id: { type: String, required: true },
    projectId: { type: String, required: true },
    stage: { type: String, enum: STAGES, required: true },
    generation: { type: Number, required: true },
    point: { type: String, enum: GATE_POINTS, required: true },
    attempt: { type: Number, required: true },
    status: { type: String, enum: APPROVAL_STATUSES, required: true },
    // Snapshots written whole and never edited in place.
    gate: { type: Schema.Types.Mixed, required: true },
    decidedBy: { type: String, required: true },
    requestedBy: { type: Schema.Types.Mixed, required: true },
    // Absent on approvals stored before it existed: read as empty (see fromDocument).
    responsiblePeople: { type: Schema.Types.Mixed, default: [] },
    context: { type: Schema.Types.Mixed, default: {} },
    votes: { type: Schema.Types.Mixed, default: [] },
    sentBack: { type: Schema.Types.Mixed, default: null },
    requestedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    closedAt: { type: Date, default: null },
    previousApprovalId: { type: String, default: null },
    supersededByGeneration: { type: Number, default: null },
    requestSequence: { type: Number, default: null },
    revision: { type: Number, required: true },
    audit: { type: Schema.Types.Mixed, default: [] },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'stage_approvals', versionKey: false, minimize: false },
);
// Exactly one approval per project, stage, generation, point and attempt: concurrent and repeated
// evaluate commands race on this index, and the loser finds the winner's approval.
approvalSchema.index({ projectId: 1, stage: 1, generation: 1, point: 1, attempt: 1 }, { unique: true });
approvalSchema.index({ status: 1, expiresAt: 1 });
approvalSchema.index({ status: 1, requestedAt: -1, _id: -1 });
approvalSchema.index({ projectId: 1, requestedAt: -1 });
approvalSchema.index(OUTBOX_SCAN_INDEX);
// The audit retention sweep's query (store/retention.ts).
approvalSchema.index({ 'audit.at': 1 });

export type ApprovalModel = Model<ApprovalDocument>;

export function approvalModel(connection: Connection): ApprovalModel {
  return (
    (connection.models.StageApproval as ApprovalModel | undefined) ??
    connection.model<ApprovalDocument>('StageApproval', approvalSchema)
  );
}
