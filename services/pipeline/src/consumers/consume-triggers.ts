import type { blueprintRunEvents, Envelope } from '@delivery/contracts';
import { PIPELINE_ACTOR } from '@delivery/contracts';
import type { Broker } from '@delivery/messaging';
import { type Logger, NotFoundError } from '@delivery/service-kit';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { ProjectStore } from '../store/project-store.js';
import { TRIGGER_EVENTS, TRIGGERS_QUEUE } from '../topology.js';
import type { Templates } from '../upstream/templates.js';
import { isBlueprintSucceeded, triggerOf } from './trigger-events.js';

export interface TriggerDeps {
  orchestrator: Orchestrator;
  projects: ProjectStore;
  templates: Templates;
  logger: Logger;
}

/**
 * Job outcomes, gate answers and finished blueprint runs, each turned into a trigger of the
 * project it is about. Each event is applied once per subject and in sequence order (the
 * orchestrator keeps the last sequence seen), so redeliveries and late older events change nothing.
 */
export async function consumeTriggers(broker: Broker, deps: TriggerDeps): Promise<void> {
  await broker.consume({
    queue: TRIGGERS_QUEUE,
    messages: TRIGGER_EVENTS,
    handle: (event) =>
      isBlueprintSucceeded(event) ? blueprintReady(event, deps) : projectTrigger(event, deps),
  });
}

async function projectTrigger(event: Envelope, { orchestrator, logger }: TriggerDeps): Promise<void> {
  const found = triggerOf(event, (why) =>
    logger.warn({ type: event.type, id: event.id, why }, 'event ignored'),
  );
  if (!found) return;
  try {
    await orchestrator.run(found.projectId, found.trigger, { correlationId: event.correlationId, event });
  } catch (error) {
    // A job or an approval of a project this service does not have (enqueued by hand, say).
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** A blueprint became available: projects of that template version waiting for it move on. */
async function blueprintReady(
  event: Envelope,
  { orchestrator, projects, templates }: TriggerDeps,
): Promise<void> {
  const { templateId, templateVersion } = event.payload as ReturnType<
    typeof blueprintRunEvents.succeeded.parse
  >['payload'];
  const waiting = await projects.waitingForBlueprint(templateId, templateVersion);
  if (waiting.length === 0) return;
  const requirements = await templates.requirements(templateId, templateVersion);
  if (!requirements) return; // stale again already: the next successful run will say so
  for (const projectId of waiting) {
    await orchestrator.run(
      projectId,
      { type: 'blueprint_ready', actor: PIPELINE_ACTOR },
      {
        correlationId: event.correlationId,
        change: (project) => (project.requirements ? project : { ...project, requirements }),
      },
    );
  }
}
