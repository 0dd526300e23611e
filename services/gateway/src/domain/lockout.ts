/**
 * Sign-in lockout, per account: `maxFailures` wrong passwords in a row lock the account for
 * `lockMinutes`; a right password clears the count. While locked, no password is even checked.
 * Kept on the account document, so every gateway replica sees the same count.
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

/** After a wrong password (on an account not locked): counted, and locked at the limit. */
export function afterFailure(state: LoginState, policy: LockoutPolicy, now: Date): LoginState {
  const failures = state.failedLogins + 1;
  return failures >= policy.maxFailures
    ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) }
    : { failedLogins: failures, lockedUntil: null };
}

export const afterSuccess = (): LoginState => ({ failedLogins: 0, lockedUntil: null });
