import {
  blueprintRunEvents,
  type Envelope,
  hitlEvents,
  jobEvents,
  projectCompleted,
  projectStageChanged,
} from '@delivery/contracts';

/**
 * The events a signed-in person may see live, and so the only ones the gateway binds its queue
 * to: a project's stage changes and completion, its jobs' states, its approvals (requested,
 * voted, decided) and gate passes, and blueprint runs. Adding a definition here is all it takes
 * to stream another event.
 */
export const VISIBLE_EVENTS = [
  projectStageChanged,
  projectCompleted,
  ...Object.values(jobEvents),
  ...Object.values(hitlEvents),
  ...Object.values(blueprintRunEvents),
] as const;

export const VISIBLE_ROUTING_KEYS: readonly string[] = VISIBLE_EVENTS.map((event) => event.routingKey);

/** The project an event is about; blueprint runs belong to a template, not a project. */
export function projectIdOf(envelope: Envelope): string | undefined {
  const { payload } = envelope;
  if (typeof payload !== 'object' || payload === null) return undefined;
  const projectId = (payload as { projectId?: unknown }).projectId;
  return typeof projectId === 'string' ? projectId : undefined;
}
