import { randomUUID } from 'node:crypto';
import { ignoreWrites, type OutboxWritten } from '@delivery/messaging';
import { afterCursor, ConflictError, decodeCursor, encodeCursor, NotFoundError } from '@delivery/service-kit';
import type { QueryFilter } from 'mongoose';
import type { Blueprint } from '../domain/blueprint.js';
import { runOutbox } from '../domain/run-events.js';
import type { GeneratorName } from '../generators/generator.js';
import { RUN_WITHOUT_OUTBOX, type RunDocument, type RunModel, type RunView, toRunView } from './run-model.js';
import type { TemplateDocument, TemplateModel } from './template-model.js';
import type { TemplateStore } from './template-store.js';

export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const;

export class InvalidRunCursorError extends Error {
  override name = 'InvalidRunCursorError';
}

export interface RunRequest {
  generator: GeneratorName;
  /** Start a new run even when one is queued or running. */
  force: boolean;
  maxAttempts: number;
}

/** Blueprint runs as the API sees them: request, read, and the blueprint other services use. */
export class RunStore {
  constructor(
    private readonly runs: RunModel,
    private readonly templates: TemplateModel,
    private readonly templateStore: TemplateStore,
    private readonly clock: () => Date = () => new Date(),
    /** The generate command and queued event go to the template's outbox. */
    private readonly templateWritten: OutboxWritten = ignoreWrites,
  ) {}

  /**
   * Creates a run for the template's current version, or returns the one already queued or
   * running. The template's `activeRunId` is the arbiter: only the request whose conditional
   * update claims it starts a run, and that same update writes the generate command to the
   * template's outbox, so the run and its command cannot be separated by a crash.
   */
  async request(
    templateId: string,
    request: RunRequest,
    correlationId: string,
  ): Promise<{ run: RunView; created: boolean }> {
    const template = await this.templateStore.get(templateId);
    if (template.status === 'archived') {
      throw new ConflictError('cannot generate a blueprint for an archived template', {
        id: templateId,
        status: template.status,
      });
    }
    if (!request.force) {
      const active = await this.activeRunOf(template);
      if (active) return { run: toRunView(active), created: false };
    }
    const now = this.clock();
    const run: RunDocument = {
      _id: randomUUID(),
      templateId,
      templateVersion: template.version,
      status: 'queued',
      generator: request.generator,
      input: {
        templateId,
        templateVersion: template.version,
        name: template.name,
        description: template.description,
        content: template.content,
      },
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
    await this.runs.collection.insertOne(run as never);
    const entries = [runOutbox.queued(run, now), runOutbox.generate(run, now)];
    const claimed = await this.templates.updateOne(
      {
        _id: templateId,
        status: { $ne: 'archived' },
        ...(request.force ? {} : { activeRunId: template.activeRunId }),
      },
      {
        $set: { activeRunId: run._id },
        $push: { outbox: { $each: entries } },
      },
    );
    if (claimed.modifiedCount === 1) {
      this.templateWritten(templateId, entries);
      return { run: toRunView(run), created: true };
    }
    // Another request won the race: ours never had a command, so it is simply removed.
    await this.runs.deleteOne({ _id: run._id, status: 'queued', attempt: 0 });
    return this.request(templateId, request, correlationId);
  }

  /**
   * Cancels a queued or running run. A running one is canceled in place: its worker's next
   * heartbeat finds the run gone from under its lease and aborts the generator, and whatever it
   * would have recorded is discarded by the fencing token.
   */
  async cancel(runId: string): Promise<RunView> {
    const run = await this.runs.findById(runId, RUN_WITHOUT_OUTBOX).lean<RunDocument>();
    if (!run) throw new NotFoundError(`blueprint run ${runId} not found`, { id: runId });
    if (!(ACTIVE_RUN_STATUSES as readonly string[]).includes(run.status)) {
      throw new ConflictError(`cannot cancel a run that is ${run.status}`, { id: runId, status: run.status });
    }
    const now = this.clock();
    const canceled = await this.runs
      .findOneAndUpdate(
        { _id: runId, status: run.status, attempt: run.attempt },
        {
          $set: {
            status: 'canceled',
            finishedAt: now,
            durationMs: run.startedAt ? now.getTime() - run.startedAt.getTime() : null,
            lockedBy: null,
            leaseToken: null,
            leaseExpiresAt: null,
          },
        },
        { new: true, projection: RUN_WITHOUT_OUTBOX },
      )
      .lean<RunDocument>();
    if (!canceled) return this.cancel(runId); // it moved on meanwhile: decide again
    await this.templates.updateOne(
      { _id: run.templateId, activeRunId: runId },
      { $set: { activeRunId: null } },
    );
    return toRunView(canceled);
  }

  async get(runId: string): Promise<RunView> {
    const run = await this.runs.findById(runId, RUN_WITHOUT_OUTBOX).lean<RunDocument>();
    if (!run) throw new NotFoundError(`blueprint run ${runId} not found`, { id: runId });
    return toRunView(run);
  }

  async active(templateId: string): Promise<RunView | undefined> {
    const active = await this.activeRunOf(await this.templateStore.get(templateId));
    return active ? toRunView(active) : undefined;
  }

  async latest(templateId: string): Promise<RunView | undefined> {
    const [run] = await this.runs
      .find({ templateId }, RUN_WITHOUT_OUTBOX)
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
      .find(query, { ...RUN_WITHOUT_OUTBOX, rawOutput: 0, blueprint: 0 })
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

  /** The newest succeeded blueprint of one template version. */
  async latestBlueprint(
    templateId: string,
    version: number,
  ): Promise<{ runId: string; blueprint: Blueprint } | undefined> {
    const [run] = await this.runs
      .find({ templateId, templateVersion: version, status: 'succeeded' }, { blueprint: 1, finishedAt: 1 })
      .sort({ finishedAt: -1 })
      .limit(1)
      .lean<Pick<RunDocument, '_id' | 'blueprint'>[]>();
    return run?.blueprint ? { runId: run._id, blueprint: run.blueprint } : undefined;
  }

  /** `activeRunId` may point at a run that already finished (its clean-up write was lost). */
  private async activeRunOf(template: TemplateDocument): Promise<RunDocument | undefined> {
    if (!template.activeRunId) return undefined;
    const run = await this.runs.findById(template.activeRunId, RUN_WITHOUT_OUTBOX).lean<RunDocument>();
    if (run && (ACTIVE_RUN_STATUSES as readonly string[]).includes(run.status)) return run;
    await this.templates.updateOne(
      { _id: template._id, activeRunId: template.activeRunId },
      { $set: { activeRunId: null } },
    );
    return undefined;
  }
}
