import { LIVE_EVENTS, LIVE_ROUTING_KEYS } from './live-events.js';

describe('the live events', () => {
  it('the zod-free routing keys are exactly those of the streamed event definitions', () => {
    const defined = LIVE_EVENTS.map((event) => event.routingKey);
    expect([...LIVE_ROUTING_KEYS].sort()).toEqual([...defined].sort());
  });

  it('name each event once', () => {
    expect(new Set(LIVE_ROUTING_KEYS).size).toBe(LIVE_ROUTING_KEYS.length);
    expect(new Set(LIVE_EVENTS.map((event) => event.routingKey)).size).toBe(LIVE_EVENTS.length);
  });
});
