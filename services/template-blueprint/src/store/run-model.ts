import type { Blueprint, BlueprintRunStatus } from '@delivery/contracts';
import { BLUEPRINT_RUN_STATUSES } from '@delivery/contracts';
import { OUTBOX_SCAN_INDEX, type OutboxEntry, outboxEntrySchema } from '@delivery/messaging';
import type { QueueShape } from '@delivery/service-kit';
import { type Connection, type Model, Schema } from 'mongoose';
import type { RunFacts } from '../domain/run-events.js';
import type { GeneratorInput, GeneratorName } from '../generators/generator.js';

/**
 * `blueprint_runs`: the source of truth for one generation of one template version. It is what
 * the domain knows of a run (RunFacts) and the store's bookkeeping besides.
 */
export interface RunDocument extends RunFacts {
  _id: string;
  templateId: string;
  templateVersion: number;
  status: BlueprintRunStatus;
  generator: GeneratorName;
  /** The template version as it was when the run was requested: what the worker generates from. */
  input: GeneratorInput;
  /** contentHash(input): the blueprint is served only while the version still has this content. */
  contentHash: string;
  /**
   * The template id while this run is the template's active run, absent otherwise. A sparse
   * unique index makes it the arbiter of "one active run per template", and it is set and
   * removed in the same write as the run's state, so it can never disagree with the run.
   */
  activeFor?: string;
  attempt: number;
  maxAttempts: number;
  /** Times the run was put back because its generator was unavailable (breaker open). */
  deferrals: number;
  errorCode: string | null;
  errorMessage: string | null;
  rawOutput: string | null;
  blueprint: Blueprint | null;
  correlationId: string;
  createdAt: Date;
  /** When a queued run may next be picked up (later than createdAt after a retryable failure). */
  nextAttemptAt: Date;
  /** When the generate command for the current wait went out; the sweeper re-sends stale ones. */
  dispatchedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  lockedBy: string | null;
  leaseToken: string | null;
  leaseExpiresAt: Date | null;
  outbox: OutboxEntry[];
}

const runSchema = new Schema<RunDocument>(
  {
    _id: { type: String, required: true },
    templateId: { type: String, required: true },
    templateVersion: { type: Number, required: true },
    status: { type: String, enum: BLUEPRINT_RUN_STATUSES, required: true },
    generator: { type: String, required: true },
    input: { type: Schema.Types.Mixed, required: true },
    contentHash: { type: String, required: true },
    activeFor: { type: String },
    attempt: { type: Number, default: 0 },
    maxAttempts: { type: Number, required: true },
    deferrals: { type: Number, default: 0 },
    errorCode: { type: String, default: null },
    errorMessage: { type: String, default: null },
    rawOutput: { type: String, default: null },
    blueprint: { type: Schema.Types.Mixed, default: null },
    correlationId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    nextAttemptAt: { type: Date, required: true },
    dispatchedAt: { type: Date, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    durationMs: { type: Number, default: null },
    lockedBy: { type: String, default: null },
    leaseToken: { type: String, default: null },
    leaseExpiresAt: { type: Date, default: null },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'blueprint_runs', versionKey: false, minimize: false },
);
runSchema.index({ templateId: 1, createdAt: -1, _id: -1 });
runSchema.index({ templateId: 1, templateVersion: 1, status: 1, finishedAt: -1 });
runSchema.index({ status: 1, leaseExpiresAt: 1 });
// Sparse, not partial: the embedded store ignores partialFilterExpression; runs without the field
// (every finished one) are left out of the index either way. It is removed, never set to null.
runSchema.index({ activeFor: 1 }, { unique: true, sparse: true });
runSchema.index({ status: 1, nextAttemptAt: 1 });
runSchema.index(OUTBOX_SCAN_INDEX);

export type RunModel = Model<RunDocument>;

/**
 * Runs as a leased work queue (service-kit's LeasedQueue). A deferral (generator unavailable)
 * gives the attempt back, so the deferral count tells one wait from the next.
 */
export const RUN_QUEUE: QueueShape<RunDocument> = {
  queued: 'queued',
  running: 'running',
  attempt: 'attempt',
  due: 'nextAttemptAt',
  sameWait: ['deferrals'],
};

export function runModel(connection: Connection): RunModel {
  return (
    (connection.models.BlueprintRun as RunModel | undefined) ??
    connection.model<RunDocument>('BlueprintRun', runSchema)
  );
}

/** The run as the API shows it. */
export type RunView = Omit<RunDocument, '_id' | 'outbox' | 'leaseToken' | 'input' | 'activeFor'> & {
  id: string;
};

export function toRunView(run: Omit<RunDocument, 'outbox'> & { outbox?: unknown }): RunView {
  const {
    _id,
    outbox: _outbox,
    leaseToken: _leaseToken,
    input: _input,
    activeFor: _activeFor,
    ...rest
  } = run;
  return { id: _id, ...rest };
}

/** Ends a run's hold on its template's active-run guard; part of every update that ends a run. */
export const RELEASE_ACTIVE = { $unset: { activeFor: '' } } as const;

/** Reads leave out the outbox and the relay's bookkeeping on the document. */
