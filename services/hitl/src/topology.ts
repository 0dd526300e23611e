import {
  EVENTS_EXCHANGE,
  evaluateGateCommand,
  projectEvents,
  projectStageChanged,
} from '@delivery/contracts';
import type { Topology } from '@delivery/messaging';

/** The pipeline's project events: the facts hitl keeps (store/project-facts-store.ts) and what closes approvals. */
export const PROJECT_FACTS_QUEUE = 'hitl.project-facts';

export const hitlTopology: Topology = {
  eventsExchange: EVENTS_EXCHANGE,
  queues: [
    { name: evaluateGateCommand.queue },
    {
      name: PROJECT_FACTS_QUEUE,
      bindings: [
        projectEvents.created.routingKey,
        projectEvents.updated.routingKey,
        // A stage reset to a newer generation makes its open approvals moot.
        projectStageChanged.routingKey,
      ],
    },
  ],
};
