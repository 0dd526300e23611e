import {
  type EnqueueJob,
  type EnqueueRefusalCode,
  type Envelope,
  jobEnqueueRefused,
} from '@delivery/contracts';
import {
  eventEntry,
  ignoreWrites,
  OUTBOX_SCAN_INDEX,
  type OutboxEntry,
  type OutboxWritten,
  outboxEntrySchema,
} from '@delivery/messaging';
import { type Connection, type Model, Schema } from 'mongoose';

const DUPLICATE_KEY = 11000;

/** Reasons are shown to people on the stage; the dead letter keeps the whole message. */
const MAX_REASON_LENGTH = 1_000;

/**
 * One refused enqueue command; `_id` is the command's envelope id, so a redelivered command is
 * recorded (and announced) once. The document carries the refusal event in its outbox, so the
 * announcement survives a crash between the refusal and its publish.
 */
export interface EnqueueRefusalDocument {
  _id: string;
  projectId: string;
  stage: EnqueueJob['stage'];
  kind: string;
  idempotencyKey: string;
  code: EnqueueRefusalCode;
  reason: string;
  correlationId: string;
  refusedAt: Date;
  outbox: OutboxEntry[];
}

const refusalSchema = new Schema<EnqueueRefusalDocument>(
  {
    _id: { type: String, required: true },
    projectId: { type: String, required: true },
    stage: { type: String, required: true },
    kind: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    code: { type: String, required: true },
    reason: { type: String, required: true },
    correlationId: { type: String, required: true },
    refusedAt: { type: Date, required: true },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'enqueue_refusals', versionKey: false },
);
refusalSchema.index(OUTBOX_SCAN_INDEX);

export type EnqueueRefusalModel = Model<EnqueueRefusalDocument>;

export function enqueueRefusalModel(connection: Connection): EnqueueRefusalModel {
  return (
    (connection.models.EnqueueRefusal as EnqueueRefusalModel | undefined) ??
    connection.model<EnqueueRefusalDocument>('EnqueueRefusal', refusalSchema)
  );
}

export interface Refusal {
  code: EnqueueRefusalCode;
  reason: string;
}

/** Records refused enqueue commands and announces each once (`jobs.enqueue.refused.v1`). */
export class EnqueueRefusals {
  constructor(
    private readonly model: EnqueueRefusalModel,
    private readonly clock: () => Date = () => new Date(),
    private readonly written: OutboxWritten = ignoreWrites,
  ) {}

  async record(command: Envelope<EnqueueJob>, refusal: Refusal): Promise<void> {
    const { projectId, stage, kind, idempotencyKey } = command.payload;
    const now = this.clock();
    const reason =
      refusal.reason.length > MAX_REASON_LENGTH
        ? `${refusal.reason.slice(0, MAX_REASON_LENGTH)}…`
        : refusal.reason;
    const event = jobEnqueueRefused.create(
      { commandId: command.id, projectId, stage, kind, idempotencyKey, code: refusal.code, reason },
      { correlationId: command.correlationId, occurredAt: now },
    );
    const document: EnqueueRefusalDocument = {
      _id: command.id,
      projectId,
      stage,
      kind,
      idempotencyKey,
      code: refusal.code,
      reason,
      correlationId: command.correlationId,
      refusedAt: now,
      outbox: [eventEntry(event)],
    };
    try {
      await this.model.collection.insertOne(document as never);
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return; // announced already
      throw error;
    }
    this.written(document._id, document.outbox);
  }
}
