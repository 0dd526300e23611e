import { scrapedGauge } from '@delivery/service-kit';
import type { EventHub } from './event-hub.js';

const streams = scrapedGauge({
  name: 'delivery_live_event_streams',
  help: 'Live-event streams (SSE) this gateway replica holds open',
  labelNames: [] as const,
});

/** Puts `hub`'s open streams on /metrics; returns what takes them off, for shutdown. */
export function watchLiveEvents(hub: EventHub): () => void {
  return streams.addSource(async () => [{ labels: {}, value: hub.subscriberCount }]);
}
