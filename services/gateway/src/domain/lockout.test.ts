import { afterFailure, afterSuccess, isLocked, type LoginState } from './lockout.js';

const policy = { maxFailures: 3, lockMinutes: 15 };
const now = new Date('2026-11-26T12:00:00Z');
const fresh: LoginState = { failedLogins: 0, lockedUntil: null };

test('wrong passwords are counted and the limit locks the account for the lock time', () => {
  const once = afterFailure(fresh, policy, now);
  const twice = afterFailure(once, policy, now);
  expect([once, twice]).toEqual([
    { failedLogins: 1, lockedUntil: null },
    { failedLogins: 2, lockedUntil: null },
  ]);
  const locked = afterFailure(twice, policy, now);
  expect(locked).toEqual({ failedLogins: 0, lockedUntil: new Date('2026-11-26T12:15:00Z') });
  expect(isLocked(locked, now)).toBe(true);
  expect(isLocked(locked, new Date('2026-11-26T12:14:59Z'))).toBe(true);
  expect(isLocked(locked, new Date('2026-11-26T12:15:00Z'))).toBe(false);
});

test('after a lock runs out the count starts again; a right password clears it', () => {
  const locked = { failedLogins: 0, lockedUntil: new Date('2026-11-26T11:00:00Z') };
  expect(afterFailure(locked, policy, now)).toEqual({ failedLogins: 1, lockedUntil: null });
  expect(afterSuccess()).toEqual(fresh);
});
