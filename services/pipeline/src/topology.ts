import {
  blueprintRunEvents,
  EVENTS_EXCHANGE,
  hitlEvents,
  jobEnqueueRefused,
  jobEvents,
} from '@delivery/contracts';
import type { Topology } from '@delivery/messaging';

/**
 * The events that move projects: job outcomes (and enqueues the job-runner refused), gate
 * answers, blueprints that became available.
 */
export const TRIGGERS_QUEUE = 'pipeline.triggers';

export const TRIGGER_EVENTS = [
  ...Object.values(jobEvents),
  jobEnqueueRefused,
  hitlEvents.gatePassed,
  hitlEvents.requested,
  hitlEvents.granted,
  hitlEvents.sentBack,
  hitlEvents.expired,
  blueprintRunEvents.succeeded,
];

export const pipelineTopology: Topology = {
  eventsExchange: EVENTS_EXCHANGE,
  queues: [{ name: TRIGGERS_QUEUE, bindings: TRIGGER_EVENTS.map((event) => event.routingKey) }],
};
