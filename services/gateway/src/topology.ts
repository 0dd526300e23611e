import type { Topology } from '@delivery/messaging';

export const EVENTS_EXCHANGE = 'delivery.events';

/** The gateway owns no durable queue: live events come through each replica's own queue (events/). */
export const gatewayTopology: Topology = { eventsExchange: EVENTS_EXCHANGE, queues: [] };
