import {
  type Actor,
  enqueueJobCommand,
  evaluateGateCommand,
  projectCompleted,
  projectEvents,
  projectStageChanged,
} from '@delivery/contracts';
import { commandEntry as command, eventEntry, type OutboxEntry } from '@delivery/messaging';
import type { Intent } from '../domain/decide.js';
import { changedFacts, factsOf } from '../domain/project-facts.js';
import type { ProjectState } from '../domain/project-state.js';
import { responsiblePeople } from '../domain/responsible-people.js';
import type { TimelineEntry } from '../store/project-model.js';
import { jobPayload } from './job-payloads.js';

export interface Effects {
  outbox: OutboxEntry[];
  timeline: TimelineEntry[];
}

/**
 * What the orchestrator's intents become: commands to hitl and the job-runner and the
 * pipeline's own events (written to the project's outbox in the same update as the decision),
 * and timeline entries. `resume_job` is not here: the resume route asks the job-runner itself
 * before deciding, so that a refused resume changes nothing.
 */
export function effectsOf(
  intents: readonly Intent[],
  project: ProjectState,
  context: { publicUrl: string; correlationId: string; now: Date },
): Effects {
  const meta = { correlationId: context.correlationId, occurredAt: context.now };
  const effects: Effects = { outbox: [], timeline: [] };
  for (const intent of intents) {
    switch (intent.type) {
      case 'evaluate_gate':
        effects.outbox.push(
          command(
            evaluateGateCommand.create(
              {
                projectId: project.id,
                stage: intent.stage,
                generation: intent.generation,
                point: intent.point,
                requestedBy: intent.requestedBy,
                // From the project as decided, so the facts the trigger changed (an upload) count.
                responsiblePeople: responsiblePeople(project, intent.stage, intent.requestedBy),
                context: { projectName: project.name, client: project.client },
                project: {
                  requireManualReview: project.requireManualReview,
                  deliveryManagerId: project.deliveryManagerId,
                },
              },
              meta,
            ),
            evaluateGateCommand.queue,
          ),
        );
        break;
      case 'enqueue_job':
        effects.outbox.push(
          command(
            enqueueJobCommand.create(
              {
                projectId: project.id,
                stage: intent.stage,
                kind: intent.kind,
                payload: jobPayload(intent.kind, project, context.publicUrl),
                idempotencyKey: intent.idempotencyKey,
              },
              meta,
            ),
            enqueueJobCommand.queue,
          ),
        );
        break;
      case 'stage_changed': {
        const { stage, generation, from, to, trigger, actor } = intent;
        effects.outbox.push(
          eventEntry(
            projectStageChanged.create(
              { projectId: project.id, stage, generation, from, to, trigger, actor },
              meta,
            ),
          ),
        );
        effects.timeline.push({
          at: context.now,
          stage,
          generation,
          from,
          to,
          trigger,
          actor,
          correlationId: context.correlationId,
        });
        break;
      }
      case 'project_completed':
        effects.outbox.push(
          eventEntry(projectCompleted.create({ projectId: project.id, name: project.name }, meta)),
        );
        break;
      case 'resume_job':
        break;
    }
  }
  return effects;
}

/**
 * A write that changes the project's announced facts announces the whole new set (hitl's
 * projection follows it) and records each change, before and after, in the timeline: the audit of
 * who handed a project over or archived it.
 */
export function factEffects(
  before: ProjectState,
  after: ProjectState,
  context: { correlationId: string; now: Date; actor: Actor | null; trigger: string },
): Effects {
  const changes = changedFacts(before, after);
  if (changes.length === 0) return { outbox: [], timeline: [] };
  const meta = { correlationId: context.correlationId, occurredAt: context.now };
  const stage = after.stages[after.currentStage];
  return {
    outbox: [eventEntry(projectEvents.updated.create(factsOf(after), meta))],
    // Completing is the stage machine's own step, in the timeline already as 6_complete succeeding.
    timeline: changes
      .filter((fact) => !(fact.field === 'status' && fact.after === 'completed'))
      .map((fact) => ({
        at: context.now,
        stage: after.currentStage,
        generation: stage.generation,
        from: stage.status,
        to: stage.status,
        trigger: context.trigger,
        actor: context.actor,
        correlationId: context.correlationId,
        fact,
      })),
  };
}

/** A change of the project recorded in its timeline with who made it, as it was and as it is. */
export interface AuditedChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** The timeline's record of an audited change, at the stage and status the project was in when it was made. */
export function auditEntry(
  project: ProjectState,
  change: AuditedChange,
  context: { correlationId: string; now: Date; actor: Actor | null; trigger: string },
): TimelineEntry {
  const stage = project.stages[project.currentStage];
  return {
    at: context.now,
    stage: project.currentStage,
    generation: stage.generation,
    from: stage.status,
    to: stage.status,
    trigger: context.trigger,
    actor: context.actor,
    correlationId: context.correlationId,
    fact: change,
  };
}
