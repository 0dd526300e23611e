export { EventHub, EventHubClosedError, type EventHubOptions, type EventHubStats } from './event-hub.js';
export type { ResyncReason } from './event-log.js';
export { watchLiveEvents } from './event-metrics.js';
export { type EventRoutesOptions, eventRoutes } from './event-routes.js';
export type { StreamEndReason } from './sse-stream.js';
export { StreamRegistry } from './stream-registry.js';
export { VISIBLE_ROUTING_KEYS } from './visible-events.js';
