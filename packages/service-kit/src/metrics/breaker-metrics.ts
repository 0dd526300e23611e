import type CircuitBreaker from 'opossum';
import { scrapedGauge } from './scraped-gauge.js';

/** delivery_breaker_state's values. */
const BREAKER_STATE = { closed: 0, half_open: 1, open: 2 } as const;

const breakerState = scrapedGauge({
  name: 'delivery_breaker_state',
  help: "Each circuit breaker's state by its name (the upstream it guards): 0 closed, 1 half-open, 2 open",
  labelNames: ['breaker'] as const,
});

// Held weakly: a breaker dropped by its owner (a host no job calls any more) leaves the page.
const breakers = new Set<WeakRef<CircuitBreaker>>();

breakerState.addSource(async () =>
  [...breakers].flatMap((ref) => {
    const breaker = ref.deref();
    if (!breaker) {
      breakers.delete(ref);
      return [];
    }
    const state = breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed';
    return [{ labels: { breaker: breaker.name }, value: BREAKER_STATE[state] }];
  }),
);

/** Shows `breaker`'s state on /metrics until it is shut down (or dropped). */
export function watchBreaker(breaker: CircuitBreaker): void {
  const ref = new WeakRef(breaker);
  breakers.add(ref);
  breaker.once('shutdown', () => breakers.delete(ref));
}
