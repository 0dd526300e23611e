/**
 * Sign-in lockout, per account: `maxFailures` wrong passwords in a row lock the account for
 * `lockMinutes`; a right password clears the count. While locked, no password is even checked.
 * The count is kept on the account and raised atomically, so parallel guesses, on any replica,
 * each count.
 */
export interface LoginState {
  failedLogins: number;
  lockedUntil: Date | null;
}

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export const isLocked = (state: LoginState, now: Date): boolean =>
  state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();

/** After the `failures`-th wrong password in a row: until when the account is locked, or null. */
export const lockAfter = (failures: number, policy: LockoutPolicy, now: Date): Date | null =>
  failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMinutes * 60_000) : null;
