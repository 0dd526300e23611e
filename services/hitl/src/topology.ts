import { evaluateGateCommand, projectEvents } from '@delivery/contracts';
import type { Topology } from '@delivery/messaging';

export const EVENTS_EXCHANGE = 'delivery.events';

/** The queue of the project facts hitl keeps (see store/project-facts.ts). */
export const PROJECT_FACTS_QUEUE = 'hitl.project-facts';

export const hitlTopology: Topology = {
  eventsExchange: EVENTS_EXCHANGE,
  queues: [
    { name: evaluateGateCommand.queue },
    {
      name: PROJECT_FACTS_QUEUE,
      bindings: [projectEvents.created.routingKey, projectEvents.updated.routingKey],
    },
  ],
};
