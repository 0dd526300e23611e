import { GATE_POINTS, type GatePoint, type GateRule, STAGES, type Stage } from '@delivery/contracts';
import { OUTBOX_SCAN_INDEX, type OutboxEntry, outboxEntrySchema } from '@delivery/messaging';
import { type Connection, type Model, Schema } from 'mongoose';
import type { EvaluationOutcome } from '../domain/evaluation.js';

/**
 * One document per evaluate command handled (`_id` = the command's message id, so a redelivered
 * command finds its record and changes nothing). It carries the outbox of a `gate.passed` answer,
 * which changes no approval, and tells later why a generation passed or waited.
 */
export interface EvaluationDocument {
  _id: string;
  projectId: string;
  stage: Stage;
  generation: number;
  point: GatePoint;
  decidedBy: GateRule;
  outcome: EvaluationOutcome | { kind: 'opened'; approvalId: string };
  correlationId: string;
  evaluatedAt: Date;
  outbox: OutboxEntry[];
}

const evaluationSchema = new Schema<EvaluationDocument>(
  {
    _id: { type: String, required: true },
    projectId: { type: String, required: true },
    stage: { type: String, enum: STAGES, required: true },
    generation: { type: Number, required: true },
    point: { type: String, enum: GATE_POINTS, required: true },
    decidedBy: { type: String, required: true },
    outcome: { type: Schema.Types.Mixed, required: true },
    correlationId: { type: String, required: true },
    evaluatedAt: { type: Date, required: true },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'gate_evaluations', versionKey: false, minimize: false },
);
evaluationSchema.index({ projectId: 1, stage: 1, evaluatedAt: -1 });
evaluationSchema.index(OUTBOX_SCAN_INDEX);
// The retention sweep's query (store/retention.ts).
evaluationSchema.index({ evaluatedAt: 1 });

export type EvaluationModel = Model<EvaluationDocument>;

export function evaluationModel(connection: Connection): EvaluationModel {
  return (
    (connection.models.GateEvaluation as EvaluationModel | undefined) ??
    connection.model<EvaluationDocument>('GateEvaluation', evaluationSchema)
  );
}
