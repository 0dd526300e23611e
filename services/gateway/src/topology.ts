import { EVENTS_EXCHANGE } from '@delivery/contracts';
import type { Topology } from '@delivery/messaging';

/** The gateway owns no durable queue: live events come through each replica's own queue (events/). */
export const gatewayTopology: Topology = { eventsExchange: EVENTS_EXCHANGE, queues: [] };
