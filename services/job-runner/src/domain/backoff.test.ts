import { type BackoffPolicy, backoffDelayMs } from './backoff.js';

const policy: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.5 };

test('grows exponentially: the lowest delay of a retry is above the highest of the one before it', () => {
  const lowest = (attempt: number) => backoffDelayMs(attempt, policy, () => 0);
  const highest = (attempt: number) => backoffDelayMs(attempt, policy, () => 0.999_999);
  expect([1, 2, 3, 4].map(lowest)).toEqual([500, 1_000, 2_000, 4_000]);
  expect([1, 2, 3, 4].map(highest)).toEqual([1_000, 2_000, 4_000, 8_000]);
  expect(lowest(3)).toBeGreaterThanOrEqual(highest(2));
});

test('is jittered: the same attempt gives spread-out delays', () => {
  const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(3, policy)));
  expect(delays.size).toBeGreaterThan(10);
  for (const delay of delays) {
    expect(delay).toBeGreaterThanOrEqual(2_000);
    expect(delay).toBeLessThanOrEqual(4_000);
  }
});

test('is capped at maxMs however many attempts', () => {
  expect(backoffDelayMs(50, policy, () => 0.999_999)).toBe(30_000);
  expect(backoffDelayMs(1_000, policy, () => 0)).toBe(15_000);
});
