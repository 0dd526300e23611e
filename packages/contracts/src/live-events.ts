import { blueprintRunEvents } from './blueprints.js';
import { hitlEvents } from './hitl.js';
import { jobEvents } from './jobs.js';
import { projectCompleted, projectStageChanged } from './projects.js';

export { LIVE_ROUTING_KEYS, type LiveRoutingKey } from './live-event-keys.js';

/**
 * The events a signed-in person may see live, and so the only ones the gateway binds its queue
 * to and streams: a project's stage changes and completion, its jobs' states, its approvals
 * (requested, voted, decided) and gate passes, and blueprint runs. Adding a definition here (and
 * its key to LIVE_ROUTING_KEYS, which the web app listens for) is all it takes to stream another
 * event.
 */
export const LIVE_EVENTS = [
  projectStageChanged,
  projectCompleted,
  ...Object.values(jobEvents),
  ...Object.values(hitlEvents),
  ...Object.values(blueprintRunEvents),
] as const;
