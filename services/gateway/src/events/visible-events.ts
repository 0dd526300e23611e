import { type Envelope, LIVE_EVENTS } from '@delivery/contracts';

/**
 * The events a signed-in person may see live, and so the only ones the gateway binds its queue
 * to: the contracts' LIVE_EVENTS (a project's stage changes and completion, its jobs' states, its
 * approvals and gate passes, blueprint runs), whose routing keys the web app listens for. Adding
 * an event there is all it takes to stream it.
 */
export const VISIBLE_EVENTS = LIVE_EVENTS;

export const VISIBLE_ROUTING_KEYS: readonly string[] = VISIBLE_EVENTS.map((event) => event.routingKey);

/** The project an event is about; blueprint runs belong to a template, not a project. */
export function projectIdOf(envelope: Envelope): string | undefined {
  const { payload } = envelope;
  if (typeof payload !== 'object' || payload === null) return undefined;
  const projectId = (payload as { projectId?: unknown }).projectId;
  return typeof projectId === 'string' ? projectId : undefined;
}
