import {
  type Actor,
  type EnqueueJob,
  JOB_STATUSES,
  type JobStatus,
  STAGES,
  type Stage,
} from '@delivery/contracts';
import { OUTBOX_SCAN_INDEX, type OutboxEntry, outboxEntrySchema } from '@delivery/messaging';
import type { QueueShape } from '@delivery/service-kit';
import { type Connection, type Model, Schema } from 'mongoose';
import type { RequestHashes } from '../domain/enqueue-request.js';
import type { JobFacts } from '../domain/job-events.js';

/** `interrupted`: stopped by the worker's shutdown; not counted against maxAttempts. */
export type AttemptOutcome =
  | 'success'
  | 'failed'
  | 'needs_human'
  | 'canceled'
  | 'lease_expired'
  | 'interrupted';

export interface AttemptRecord {
  attempt: number;
  workerId: string;
  startedAt: Date;
  endedAt?: Date;
  outcome?: AttemptOutcome;
  error?: string;
}

/**
 * One document per job; `_id` is the job id (a UUID) so it can be used in URLs as is. It is what
 * the domain knows of a job (JobFacts) and the store's bookkeeping besides.
 */
export interface JobDocument extends JobFacts {
  _id: string;
  projectId: string;
  stage: Stage;
  kind: string;
  status: JobStatus;
  priority: number;
  payload: EnqueueJob['payload'];
  attempts: number;
  maxAttempts: number;
  /** Retries scheduled over the job's life (for stats). */
  retries: number;
  error: string | null;
  result: unknown;
  needsHumanReason: string | null;
  nextRunAt: Date;
  /** When a dispatch message for the current wait was sent; the scheduler re-sends stale ones. */
  dispatchedAt: Date | null;
  lockedBy: string | null;
  lockedAt: Date | null;
  leaseExpiresAt: Date | null;
  /** Fencing token: new on every claim; only its holder may extend the lease or record an outcome. */
  leaseToken: string | null;
  cancelRequested: boolean;
  idempotencyKey: string;
  /**
   * Who enqueued it, as verified (the caller of POST /jobs; the pipeline for enqueue commands).
   * Absent on jobs from before it was recorded.
   */
  enqueuedBy?: Actor;
  /** Per-field hashes of the request that created the job; absent on jobs from before they existed. */
  requestHashes?: RequestHashes;
  correlationId: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  deadLetteredAt: Date | null;
  history: AttemptRecord[];
  outbox: OutboxEntry[];
}

const attemptSchema = new Schema<AttemptRecord>(
  {
    attempt: Number,
    workerId: String,
    startedAt: Date,
    endedAt: Date,
    outcome: String,
    error: String,
  },
  { _id: false },
);

const jobSchema = new Schema<JobDocument>(
  {
    _id: { type: String, required: true },
    projectId: { type: String, required: true },
    stage: { type: String, enum: STAGES, required: true },
    kind: { type: String, required: true },
    status: { type: String, enum: JOB_STATUSES, required: true },
    priority: { type: Number, default: 0 },
    payload: { type: Schema.Types.Mixed, default: {} },
    attempts: { type: Number, default: 0 },
    maxAttempts: { type: Number, required: true },
    retries: { type: Number, default: 0 },
    error: { type: String, default: null },
    result: { type: Schema.Types.Mixed, default: null },
    needsHumanReason: { type: String, default: null },
    nextRunAt: { type: Date, required: true },
    dispatchedAt: { type: Date, default: null },
    lockedBy: { type: String, default: null },
    lockedAt: { type: Date, default: null },
    leaseExpiresAt: { type: Date, default: null },
    leaseToken: { type: String, default: null },
    cancelRequested: { type: Boolean, default: false },
    idempotencyKey: { type: String, required: true },
    enqueuedBy: { type: Schema.Types.Mixed },
    requestHashes: { type: Schema.Types.Mixed },
    correlationId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    deadLetteredAt: { type: Date, default: null },
    history: { type: [attemptSchema], default: [] },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'job_runs', versionKey: false, minimize: false },
);

jobSchema.index({ idempotencyKey: 1 }, { unique: true });
jobSchema.index({ status: 1, nextRunAt: 1 });
jobSchema.index({ status: 1, leaseExpiresAt: 1 });
// The retention sweep's query (store/retention.ts).
jobSchema.index({ status: 1, finishedAt: 1 });
jobSchema.index({ projectId: 1, createdAt: -1 });
jobSchema.index({ createdAt: -1, _id: -1 });
jobSchema.index(OUTBOX_SCAN_INDEX);

export type JobModel = Model<JobDocument>;

/** Jobs as a leased work queue (service-kit's LeasedQueue): higher priority dispatched first. */
export const JOB_QUEUE: QueueShape<JobDocument> = {
  queued: 'QUEUED',
  running: 'RUNNING',
  attempt: 'attempts',
  due: 'nextRunAt',
  dispatchOrder: { priority: -1, nextRunAt: 1 },
};

export function jobModel(connection: Connection): JobModel {
  return (connection.models.Job as JobModel | undefined) ?? connection.model<JobDocument>('Job', jobSchema);
}
