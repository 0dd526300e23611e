import { randomUUID } from 'node:crypto';
import {
  type Actor,
  type EnqueueJob,
  type JobStatus,
  parseStageJobKey,
  type Stage,
} from '@delivery/contracts';
import {
  ignoreWrites,
  type OutboxWritten,
  pushedOutboxEntries,
  WITHOUT_OUTBOX_FIELDS,
} from '@delivery/messaging';
import {
  afterCursor,
  CHANGED_MEANWHILE,
  ConflictError,
  compareAndSwap,
  decodeCursor,
  encodeCursor,
  NotFoundError,
} from '@delivery/service-kit';
import type { QueryFilter } from 'mongoose';
import { differingFields, type RequestField, requestHashes } from '../domain/enqueue-request.js';
import { dispatchEntry, jobOutbox } from '../domain/job-events.js';
import { checkEnqueue, resumedPayload } from '../domain/kind-rules.js';
import { checkKeyOwner, takenFromPipeline } from '../domain/stage-key-owner.js';
import { decideCancel, REQUEUE_FROM } from '../domain/transitions.js';
import type { JobKinds, Payload } from '../handlers/handler.js';
import { jobKinds } from '../handlers/job-kinds.js';
import { canceledUpdate } from './failure-update.js';
import type { JobDocument, JobModel } from './job-model.js';
import { type JobView, toJobView } from './job-view.js';

const DUPLICATE_KEY = 11000;

export interface JobFilter {
  projectId?: string;
  stage?: string;
  kind?: string;
  status?: JobStatus;
}

export interface JobPage {
  items: JobView[];
  nextCursor: string | null;
}

export interface CancelResult {
  job: JobView;
  /** false when the job was running: its worker was asked to stop and will end it CANCELED. */
  immediate: boolean;
}

/** Enqueueing, reading and the manual operations on jobs (the API side of the queue). */
export class JobStore {
  constructor(
    private readonly model: JobModel,
    private readonly clock: () => Date = () => new Date(),
    private readonly written: OutboxWritten = ignoreWrites,
    private readonly kinds: JobKinds = jobKinds,
  ) {}

  /**
   * Idempotent by key: the same key with the same request always yields the same single job; the
   * key reused for another request is refused (IdempotencyKeyReusedError), never answered with
   * an unrelated job. A payload its kind cannot run is refused (422), and a stage job key from
   * anyone but the pipeline (403), before anything is stored. `enqueuedBy` is the verified caller.
   */
  async enqueue(
    input: EnqueueJob,
    correlationId: string,
    enqueuedBy: Actor,
  ): Promise<{ job: JobView; created: boolean }> {
    checkKeyOwner(input.idempotencyKey, enqueuedBy);
    checkEnqueue(this.kinds, input.kind, input.payload);
    const hashes = requestHashes(input);
    const now = this.clock();
    const runAt = input.runAt ? new Date(input.runAt) : now;
    const due = runAt.getTime() <= now.getTime();
    const document: JobDocument = {
      _id: randomUUID(),
      projectId: input.projectId,
      stage: input.stage,
      kind: input.kind,
      status: 'QUEUED',
      priority: input.priority,
      payload: input.payload,
      attempts: 0,
      maxAttempts: input.maxAttempts,
      retries: 0,
      error: null,
      result: null,
      needsHumanReason: null,
      nextRunAt: runAt,
      dispatchedAt: due ? now : null,
      lockedBy: null,
      lockedAt: null,
      leaseExpiresAt: null,
      leaseToken: null,
      cancelRequested: false,
      idempotencyKey: input.idempotencyKey,
      enqueuedBy,
      requestHashes: hashes,
      correlationId,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      deadLetteredAt: null,
      history: [],
      outbox: [],
    };
    // Jobs due now are dispatched straight away; later ones by the scheduler when they come due.
    document.outbox = [jobOutbox.queued(document, now), ...(due ? [dispatchEntry(document, now)] : [])];
    try {
      await this.model.collection.insertOne(document as never);
      this.written(document._id, document.outbox);
      return { job: this.view(document), created: true };
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      const existing = await this.model
        .findOne({ idempotencyKey: input.idempotencyKey }, WITHOUT_OUTBOX_FIELDS)
        .lean<JobDocument>();
      if (!existing) throw error;
      // Jobs stored before request hashes existed cannot be compared; they keep the old answer.
      const differing: DifferingField[] = existing.requestHashes
        ? differingFields(existing.requestHashes, hashes)
        : [];
      if (takenFromPipeline(input.idempotencyKey, existing.enqueuedBy)) differing.push('enqueuedBy');
      if (differing.length > 0)
        throw new IdempotencyKeyReusedError(input.idempotencyKey, existing._id, differing);
      return { job: this.view(existing), created: false };
    }
  }

  async get(id: string): Promise<JobView> {
    return this.view(await this.load(id));
  }

  async list(filter: JobFilter, limit: number, cursor?: string): Promise<JobPage> {
    const query: QueryFilter<JobDocument> = {};
    for (const [field, value] of Object.entries(filter)) if (value !== undefined) query[field] = value;
    if (cursor !== undefined) {
      const position = decodeCursor(cursor);
      if (!position) throw new InvalidCursorError();
      Object.assign(query, afterCursor(position));
    }
    const documents = await this.model
      .find(query, { ...WITHOUT_OUTBOX_FIELDS, history: 0, payload: 0, result: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<JobDocument[]>();
    const items = documents.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      documents.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last._id }) : null;
    return { items: items.map((document) => this.view({ ...document, history: [] })), nextCursor };
  }

  /** Decided on the job as it is; if it changes before the write lands, decided again (bounded). */
  cancel(id: string): Promise<CancelResult> {
    return compareAndSwap(`job ${id}`, async () => {
      const job = await this.load(id);
      const decision = decideCancel(job.status);
      if (decision.kind === 'conflict') throw stateConflict('cancel', job);
      if (decision.kind === 'signal-worker') {
        const updated = await this.model
          .findOneAndUpdate(
            { _id: id, status: 'RUNNING' },
            { $set: { cancelRequested: true } },
            { returnDocument: 'after' },
          )
          .select(WITHOUT_OUTBOX_FIELDS)
          .lean<JobDocument>();
        // It finished or was requeued meanwhile.
        return updated ? { job: this.view(updated), immediate: false } : CHANGED_MEANWHILE;
      }
      const update = canceledUpdate(job, this.clock());
      const updated = await this.model
        .findOneAndUpdate({ _id: id, status: job.status }, update, { returnDocument: 'after' })
        .select(WITHOUT_OUTBOX_FIELDS)
        .lean<JobDocument>();
      if (!updated) return CHANGED_MEANWHILE;
      this.written(id, pushedOutboxEntries(update));
      return { job: this.view(updated), immediate: true };
    });
  }

  /**
   * Cancels every job of the project created by `before` that has not ended (the project was
   * archived then; a job created later belongs to it restored).
   */
  cancelOpenJobsOf(projectId: string, before: Date): Promise<number> {
    return this.cancelOpen({ projectId, createdAt: { $lte: before } });
  }

  /**
   * Cancels the open jobs of older generations of a project's stage (the stage started over as
   * `generation`): their results would be ignored, and their work (an executor's call) wasted.
   */
  cancelOlderStageJobs(projectId: string, stage: Stage, generation: number): Promise<number> {
    return this.cancelOpen({ projectId, stage }, (job) => {
      const run = parseStageJobKey(job.idempotencyKey, projectId);
      return run !== undefined && run.stage === stage && run.generation < generation;
    });
  }

  /**
   * A job that ends meanwhile is left as it ended; a running one stops at its next heartbeat. A
   * job that keeps changing (ContendedError) fails the pass, so the event is handled again.
   */
  private async cancelOpen(
    query: QueryFilter<JobDocument>,
    which: (job: Pick<JobDocument, 'idempotencyKey'>) => boolean = () => true,
  ): Promise<number> {
    const open = await this.model
      .find(
        { ...query, status: { $in: ['QUEUED', 'RUNNING', 'NEEDS_HUMAN'] } },
        { _id: 1, idempotencyKey: 1 },
      )
      .lean<Pick<JobDocument, '_id' | 'idempotencyKey'>[]>();
    let canceled = 0;
    for (const job of open.filter(which)) {
      try {
        await this.cancel(job._id);
        canceled++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return canceled;
  }

  /** FAILED → QUEUED with a fresh attempt budget (the history keeps every earlier attempt). */
  retry(id: string): Promise<JobView> {
    return this.requeue(id, 'retry', (job) => job.payload);
  }

  /**
   * NEEDS_HUMAN → QUEUED; `input` (e.g. a person's decisions) joins the payload as the job's kind
   * declares, and nothing else is accepted (422).
   */
  resume(id: string, input: Payload): Promise<JobView> {
    return this.requeue(id, 'resume', (job) => resumedPayload(this.kinds, job.kind, job.payload, input));
  }

  private requeue(
    id: string,
    operation: keyof typeof REQUEUE_FROM,
    nextPayload: (job: JobDocument) => Payload,
  ): Promise<JobView> {
    return compareAndSwap(`job ${id}`, async () => {
      const job = await this.load(id);
      if (job.status !== REQUEUE_FROM[operation]) throw stateConflict(operation, job);
      const payload = nextPayload(job);
      const now = this.clock();
      const requeued = { ...job, attempts: 0, nextRunAt: now };
      const entries = [jobOutbox.queued(requeued, now), dispatchEntry(job, now)];
      const updated = await this.model
        .findOneAndUpdate(
          // The same wait as loaded: every run adds a history entry, so a job that was resumed, ran
          // and waits again meanwhile is not overwritten with a payload that lacks that resume's input.
          { _id: id, status: job.status, history: { $size: job.history.length } },
          {
            $set: {
              status: 'QUEUED',
              attempts: 0,
              payload,
              nextRunAt: now,
              dispatchedAt: now,
              error: null,
              needsHumanReason: null,
              finishedAt: null,
              deadLetteredAt: null,
            },
            $push: { outbox: { $each: entries } },
          },
          { returnDocument: 'after' },
        )
        .select(WITHOUT_OUTBOX_FIELDS)
        .lean<JobDocument>();
      if (!updated) return CHANGED_MEANWHILE;
      this.written(id, entries);
      return this.view(updated);
    });
  }

  private view(document: Parameters<typeof toJobView>[0]): JobView {
    return toJobView(document, this.kinds);
  }

  private async load(id: string): Promise<JobDocument> {
    const job = await this.model.findById(id, WITHOUT_OUTBOX_FIELDS).lean<JobDocument>();
    if (!job) throw new NotFoundError(`job ${id} not found`, { id });
    return job;
  }
}

/** The key was first used for another request: 409, naming the key, the job and what differs. */
type DifferingField = RequestField | 'enqueuedBy';

export class IdempotencyKeyReusedError extends ConflictError {
  constructor(idempotencyKey: string, existingJobId: string, differingFields: DifferingField[]) {
    super(
      `idempotency key "${idempotencyKey}" was used for job ${existingJobId} with another ${differingFields.join(', ')}`,
      { idempotencyKey, existingJobId, differingFields },
    );
  }
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

function stateConflict(operation: string, job: JobDocument): ConflictError {
  return new ConflictError(`cannot ${operation} a job that is ${job.status}`, {
    id: job._id,
    status: job.status,
  });
}
