/**
 * Delay before retry number `attempt` (1 = the first retry): exponential, capped, with jitter.
 * "Equal jitter": the lower part of the delay is fixed and the rest random, so delays still grow
 * from one attempt to the next while jobs that failed together do not all come back together.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  factor: number;
  /** Share of each delay that is random, 0..1. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 10 * 60_000, factor: 2, jitter: 0.5 };

export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * policy.factor ** Math.max(0, attempt - 1));
  const fixed = ceiling * (1 - policy.jitter);
  return Math.round(fixed + ceiling * policy.jitter * random());
}
