import { outboxRetryDelayMs } from './outbox-backoff.js';

const backoff = { firstDelayMs: 1_000, maxDelayMs: 60_000 };

test('the delay doubles with each failure, up to the maximum', () => {
  const ceilings = [1, 2, 3, 4, 7, 8, 40].map((failures) => outboxRetryDelayMs(failures, backoff, () => 1));
  expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 60_000, 60_000, 60_000]);
});

test('jitter keeps at least half of the delay', () => {
  expect(outboxRetryDelayMs(3, backoff, () => 0)).toBe(2_000);
  expect(outboxRetryDelayMs(3, backoff, () => 0.5)).toBe(3_000);
});
