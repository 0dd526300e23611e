import {
  admit,
  delayAfter,
  type PairState,
  reachesCeiling,
  underAttack,
  windowAt,
} from './login-throttle.js';

const policy = {
  freeFailures: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  accountCeiling: 10,
  windowMs: 3_600_000,
};
const now = new Date('2026-11-26T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);

test.each([
  // failures, under attack, wait (ms)
  [1, false, 0],
  [3, false, 0],
  [4, false, 1_000],
  [5, false, 2_000],
  [6, false, 4_000],
  [10, false, 60_000],
  [1_000, false, 60_000],
  [1, true, 1_000],
  [2, true, 2_000],
  [4, true, 8_000],
  [100, true, 60_000],
])(
  'after %i wrong passwords in a row (under attack: %s) the address waits %i ms',
  (failures, attacked, wait) => {
    expect(delayAfter(failures, attacked, policy)).toBe(wait);
  },
);

test.each<[string, PairState | null, number, ReturnType<typeof admit>]>([
  ['a first attempt', null, 0, { admitted: true, next: { failures: 1, nextAttemptAt: now } }],
  [
    'the last free one',
    { failures: 2, nextAttemptAt: at(-5) },
    0,
    { admitted: true, next: { failures: 3, nextAttemptAt: now } },
  ],
  [
    'the first past the free ones: admitted, and it makes the address wait',
    { failures: 3, nextAttemptAt: now },
    0,
    { admitted: true, next: { failures: 4, nextAttemptAt: at(1_000) } },
  ],
  [
    'one while the address waits',
    { failures: 4, nextAttemptAt: at(1_000) },
    0,
    { admitted: false, retryAfterMs: 1_000 },
  ],
  [
    'one once the wait is over',
    { failures: 4, nextAttemptAt: at(0) },
    0,
    { admitted: true, next: { failures: 5, nextAttemptAt: at(2_000) } },
  ],
  [
    'a first attempt while the account is under attack: admitted, then the address waits',
    null,
    10,
    { admitted: true, next: { failures: 1, nextAttemptAt: at(1_000) } },
  ],
  [
    'a first attempt just below the ceiling',
    null,
    9,
    { admitted: true, next: { failures: 1, nextAttemptAt: now } },
  ],
])('%s', (_what, pair, accountFailures, admission) => {
  expect(admit(pair, accountFailures, policy, now)).toEqual(admission);
});

test('the ceiling: reached once, by the failure that brings the count to it; under attack from then on', () => {
  expect([9, 10, 11].map((failures) => reachesCeiling(failures, policy))).toEqual([false, true, false]);
  expect([9, 10, 11].map((failures) => underAttack(failures, policy))).toEqual([false, true, true]);
});

test('windows follow each other without gaps; each ends where the next begins', () => {
  const first = windowAt(new Date('2026-11-26T12:00:00Z'), policy);
  const last = windowAt(new Date('2026-11-26T12:59:59.999Z'), policy);
  const next = windowAt(new Date('2026-11-26T13:00:00Z'), policy);
  expect(last).toEqual(first);
  expect(first.endsAt).toEqual(new Date('2026-11-26T13:00:00Z'));
  expect(next.index).toBe(first.index + 1);
});
