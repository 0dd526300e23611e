import { randomUUID } from 'node:crypto';
import type { Blueprint } from '@delivery/contracts';
import { ignoreWrites, type OutboxWritten, WITHOUT_OUTBOX_FIELDS } from '@delivery/messaging';
import {
  afterCursor,
  CHANGED_MEANWHILE,
  ConflictError,
  compareAndSwap,
  decodeCursor,
  encodeCursor,
  LEASE_RELEASED,
  NotFoundError,
} from '@delivery/service-kit';
import type { QueryFilter } from 'mongoose';
import { contentHash, type VersionContent } from '../domain/content-hash.js';
import { runOutbox } from '../domain/run-events.js';
import type { GeneratorName } from '../generators/generator.js';
import { RELEASE_ACTIVE, type RunDocument, type RunModel, type RunView, toRunView } from './run-model.js';
import type { TemplateDocument } from './template-model.js';
import type { TemplateStore } from './template-store.js';

export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const;

const DUPLICATE_KEY = 11000;

export class InvalidRunCursorError extends Error {
  override name = 'InvalidRunCursorError';
}

export interface RunRequest {
  generator: GeneratorName;
  /** Start a new run even when one is queued or running. */
  force: boolean;
  maxAttempts: number;
}

/**
 * The blueprint of one version, if any: `current` when a succeeded run was generated from the
 * version's content as it is now, `stale` when succeeded runs exist but all from other content
 * (a draft edited after generating), `none` when nothing succeeded for the version.
 */
export type VersionBlueprint =
  | { state: 'current'; runId: string; blueprint: Blueprint }
  | { state: 'stale'; runId: string }
  | { state: 'none' };

/** Blueprint runs as the API sees them: request, read, and the blueprint other services use. */
export class RunStore {
  constructor(
    private readonly runs: RunModel,
    private readonly templateStore: TemplateStore,
    private readonly clock: () => Date = () => new Date(),
    /** Reports what a write appended to a run's outbox, so it goes out at once. */
    private readonly written: OutboxWritten = ignoreWrites,
  ) {}

  /**
   * Creates a run for the template's current version, or returns the one already queued or
   * running. The run is inserted in one write together with its `queued` event and `generate`
   * command (its own outbox): no run without its command, no command without its run. The
   * sparse unique index on `activeFor` lets only one active run per template in; a request that
   * loses that race decides again and finds the winner.
   */
  request(
    templateId: string,
    request: RunRequest,
    correlationId: string,
  ): Promise<{ run: RunView; created: boolean }> {
    return compareAndSwap(`the runs of template ${templateId}`, async () => {
      const template = await this.templateStore.get(templateId);
      if (template.status === 'archived') {
        throw new ConflictError('cannot generate a blueprint for an archived template', {
          id: templateId,
          status: template.status,
        });
      }
      if (request.force) {
        // The forced run takes the guard over; the run that held it carries on, no longer shared.
        await this.runs.updateMany({ activeFor: templateId }, RELEASE_ACTIVE);
      } else {
        const active = await this.activeRun(templateId);
        if (active) return { run: toRunView(active), created: false };
      }
      const run = newRun(template, request, correlationId, this.clock());
      try {
        await this.runs.collection.insertOne(run as never);
      } catch (error) {
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
        return CHANGED_MEANWHILE; // another request's run took the guard first
      }
      this.written(run._id, run.outbox);
      return { run: toRunView(run), created: true };
    });
  }

  /**
   * Cancels a queued or running run, announcing it in the same write. A running one is canceled
   * in place: its worker's next heartbeat finds the run gone from under its lease and aborts the
   * generator, and whatever it would have recorded is discarded by the fencing token.
   */
  cancel(runId: string): Promise<RunView> {
    return compareAndSwap(`blueprint run ${runId}`, async () => {
      const run = await this.runs.findById(runId, WITHOUT_OUTBOX_FIELDS).lean<RunDocument>();
      if (!run) throw new NotFoundError(`blueprint run ${runId} not found`, { id: runId });
      if (!(ACTIVE_RUN_STATUSES as readonly string[]).includes(run.status)) {
        throw new ConflictError(`cannot cancel a run that is ${run.status}`, {
          id: runId,
          status: run.status,
        });
      }
      const now = this.clock();
      const announced = runOutbox.canceled(run, now);
      const canceled = await this.runs
        .findOneAndUpdate(
          { _id: runId, status: run.status, attempt: run.attempt },
          {
            $set: {
              ...LEASE_RELEASED,
              status: 'canceled',
              finishedAt: now,
              durationMs: run.startedAt ? now.getTime() - run.startedAt.getTime() : null,
            },
            ...RELEASE_ACTIVE,
            $push: { outbox: announced },
          },
          { returnDocument: 'after', projection: WITHOUT_OUTBOX_FIELDS },
        )
        .lean<RunDocument>();
      if (!canceled) return CHANGED_MEANWHILE; // it moved on meanwhile
      this.written(runId, [announced]);
      return toRunView(canceled);
    });
  }

  async get(runId: string): Promise<RunView> {
    const run = await this.runs.findById(runId, WITHOUT_OUTBOX_FIELDS).lean<RunDocument>();
    if (!run) throw new NotFoundError(`blueprint run ${runId} not found`, { id: runId });
    return toRunView(run);
  }

  async active(templateId: string): Promise<RunView | undefined> {
    await this.templateStore.get(templateId);
    const active = await this.activeRun(templateId);
    return active ? toRunView(active) : undefined;
  }

  async latest(templateId: string): Promise<RunView | undefined> {
    const [run] = await this.runs
      .find({ templateId }, WITHOUT_OUTBOX_FIELDS)
      .sort({ createdAt: -1, _id: -1 })
      .limit(1)
      .lean<RunDocument[]>();
    return run ? toRunView(run) : undefined;
  }

  async list(templateId: string, limit: number, cursor?: string) {
    await this.templateStore.get(templateId);
    const query: QueryFilter<RunDocument> = { templateId };
    if (cursor !== undefined) {
      const position = decodeCursor(cursor);
      if (!position) throw new InvalidRunCursorError();
      Object.assign(query, afterCursor(position));
    }
    const found = await this.runs
      .find(query, { ...WITHOUT_OUTBOX_FIELDS, rawOutput: 0, blueprint: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<RunDocument[]>();
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(toRunView),
      nextCursor:
        found.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last._id }) : null,
    };
  }

  /** The blueprint of one version as its content is now (see VersionBlueprint). */
  async blueprintOf(
    templateId: string,
    version: VersionContent & { version: number },
  ): Promise<VersionBlueprint> {
    const succeeded = { templateId, templateVersion: version.version, status: 'succeeded' as const };
    const newest = (query: QueryFilter<RunDocument>) =>
      this.runs
        .findOne(query, { blueprint: 1 })
        .sort({ finishedAt: -1 })
        .lean<Pick<RunDocument, '_id' | 'blueprint'>>();
    const current = await newest({ ...succeeded, contentHash: contentHash(version) });
    if (current?.blueprint) return { state: 'current', runId: current._id, blueprint: current.blueprint };
    const stale = await newest(succeeded);
    return stale ? { state: 'stale', runId: stale._id } : { state: 'none' };
  }

  private activeRun(templateId: string): Promise<RunDocument | null> {
    return this.runs.findOne({ activeFor: templateId }, WITHOUT_OUTBOX_FIELDS).lean<RunDocument>();
  }
}

/** A new queued run of the template's current version, its first messages in its own outbox. */
function newRun(
  template: TemplateDocument,
  request: RunRequest,
  correlationId: string,
  now: Date,
): RunDocument {
  const input = {
    templateId: template._id,
    templateVersion: template.version,
    name: template.name,
    description: template.description,
    content: template.content,
  };
  const run: RunDocument = {
    _id: randomUUID(),
    templateId: template._id,
    templateVersion: template.version,
    status: 'queued',
    generator: request.generator,
    input,
    contentHash: contentHash(input),
    activeFor: template._id,
    attempt: 0,
    maxAttempts: request.maxAttempts,
    deferrals: 0,
    errorCode: null,
    errorMessage: null,
    rawOutput: null,
    blueprint: null,
    correlationId,
    createdAt: now,
    nextAttemptAt: now,
    dispatchedAt: now,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    lockedBy: null,
    leaseToken: null,
    leaseExpiresAt: null,
    outbox: [],
  };
  run.outbox = [runOutbox.queued(run, now), runOutbox.generate(run, now)];
  return run;
}
