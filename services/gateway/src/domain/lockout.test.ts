import { isLocked, lockAfter } from './lockout.js';

const policy = { maxFailures: 3, lockMinutes: 15 };
const now = new Date('2026-11-26T12:00:00Z');

test('the limit-th wrong password in a row locks the account for the lock time; fewer do not', () => {
  expect([1, 2].map((failures) => lockAfter(failures, policy, now))).toEqual([null, null]);
  expect(lockAfter(3, policy, now)).toEqual(new Date('2026-11-26T12:15:00Z'));
  expect(lockAfter(7, policy, now)).toEqual(new Date('2026-11-26T12:15:00Z'));
});

test('locked until the lock runs out', () => {
  const locked = { failedLogins: 0, lockedUntil: new Date('2026-11-26T12:15:00Z') };
  expect(isLocked(locked, now)).toBe(true);
  expect(isLocked(locked, new Date('2026-11-26T12:14:59Z'))).toBe(true);
  expect(isLocked(locked, new Date('2026-11-26T12:15:00Z'))).toBe(false);
  expect(isLocked({ failedLogins: 2, lockedUntil: null }, now)).toBe(false);
});
