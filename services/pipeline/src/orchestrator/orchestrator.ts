import { canonicalJson, type Envelope, isStale } from '@delivery/contracts';
import { inSpan, type OutboxWritten, PROJECT_ID_ATTRIBUTE } from '@delivery/messaging';
import { NotFoundError } from '@delivery/service-kit';
import { decide } from '../domain/decide.js';
import type { ProjectState } from '../domain/project-state.js';
import type { Trigger } from '../domain/triggers.js';
import { fromDocument, PROJECT_STATE_FIELDS, stateFields } from '../store/project-documents.js';
import type { ProjectDocument, ProjectModel } from '../store/project-model.js';
import { type AuditedChange, auditEntry, effectsOf, factEffects } from './intent-messages.js';

export interface RunOptions {
  correlationId: string;
  /** A change of the project's facts the trigger stands for (a sale, answers, an upload), applied before deciding. May throw a DomainError to refuse. */
  change?: (project: ProjectState) => ProjectState;
  /** The event that caused it, when one did: applied once per subject, in sequence order. */
  event?: Pick<Envelope, 'subject' | 'sequence'>;
  /**
   * A change of the project the timeline keeps as an audit record (who, before, after), written
   * with the decision or not at all: a replaced or withdrawn file.
   */
  audit?: AuditedChange;
  /**
   * The trigger (and audit record) as the change turned out, when its name depends on it: answers
   * saved complete are `onboarding_saved`, a draft `onboarding_updated`; a manager replacing an
   * existing assignment is an audited `assignment_override`.
   */
  refine?: (current: ProjectState, changed: ProjectState) => { trigger: Trigger; audit?: AuditedChange };
}

/** Rounds of "another trigger changed the project meanwhile" before giving up (the broker retries). */
const MAX_ROUNDS = 50;

/**
 * The imperative shell around `decide`: load the project, apply the fact change, decide, and
 * write the new state with its outbox entries and timeline in one update conditional on the
 * version it was decided on; on a conflict, load and decide again. So concurrent triggers for one
 * project (redeliveries, two replicas, a double click) serialize on the version, and a job is
 * enqueued (an outbox command with idempotency key project:stage:generation) exactly once.
 */
export class Orchestrator {
  constructor(
    private readonly model: ProjectModel,
    private readonly written: OutboxWritten,
    private readonly publicUrl: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** One trigger for one project, in a span that names both (so a project's traces can be found). */
  run(projectId: string, trigger: Trigger, options: RunOptions): Promise<ProjectState> {
    return inSpan(
      `pipeline.orchestrate ${trigger.type}`,
      { [PROJECT_ID_ATTRIBUTE]: projectId, 'delivery.trigger': trigger.type },
      () => this.decideAndWrite(projectId, trigger, options),
    );
  }

  private async decideAndWrite(
    projectId: string,
    asked: Trigger,
    options: RunOptions,
  ): Promise<ProjectState> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const document = await this.model.findById(projectId, PROJECT_STATE_FIELDS).lean<ProjectDocument>();
      if (!document) throw new NotFoundError(`project ${projectId} not found`, { id: projectId });
      const current = fromDocument(document);
      const subject = options.event?.subject;
      if (subject && isStale(current.seen[subject], options.event ?? {})) return current;

      const now = this.clock();
      const changed = options.change ? options.change(current) : current;
      const refined = options.refine?.(current, changed);
      const trigger = refined?.trigger ?? asked;
      const audit = refined?.audit ?? options.audit;
      const { project, intents } = decide(changed, trigger, now, current);
      const seen =
        subject && options.event?.sequence
          ? { ...project.seen, [subject]: options.event.sequence }
          : project.seen;
      // A trigger that changes nothing (a duplicate, a stale or irrelevant event) writes nothing;
      // a person's audited act is recorded all the same.
      if (
        audit === undefined &&
        intents.length === 0 &&
        seen === current.seen &&
        canonicalJson(project) === canonicalJson(current)
      ) {
        return current;
      }
      const next: ProjectState = { ...project, seen, version: current.version + 1, updatedAt: now };
      const decided = effectsOf(intents, next, {
        publicUrl: this.publicUrl,
        correlationId: options.correlationId,
        now,
      });
      const announced = factEffects(current, next, {
        correlationId: options.correlationId,
        now,
        actor: 'actor' in trigger ? trigger.actor : null,
        trigger: trigger.type,
      });
      const audited = audit
        ? [
            auditEntry(current, audit, {
              ...options,
              now,
              actor: 'actor' in trigger ? trigger.actor : null,
              trigger: trigger.type,
            }),
          ]
        : [];
      const outbox = [...announced.outbox, ...decided.outbox];
      const timeline = [...announced.timeline, ...audited, ...decided.timeline];
      const updated = await this.model.updateOne(
        { _id: projectId, version: current.version },
        {
          $set: stateFields(next),
          $push: { outbox: { $each: outbox }, timeline: { $each: timeline } },
        },
      );
      if (updated.modifiedCount === 1) {
        this.written(projectId, outbox);
        return next;
      }
    }
    throw new Error(`project ${projectId} kept changing under ${asked.type}; retrying later`);
  }
}
