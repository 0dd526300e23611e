/**
 * Sign-in throttling. Nothing locks an account: wrong passwords slow down the address they come
 * from, for that account only, with growing waits, so someone guessing from one place never
 * keeps the person out from another. Many wrong passwords for one account from everywhere (past
 * `accountCeiling` in a window) make every address wait from its first wrong password, and raise
 * an alert; they never lock either.
 *
 * An attempt is counted as a wrong password before the password is checked (and a right one
 * clears its address's count), so parallel guesses cannot outrun the count.
 */
export interface ThrottlePolicy {
  /** Wrong passwords in a row, per account and address, that cost no wait. */
  freeFailures: number;
  /** The wait after the first wrong password past those; it doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wrong passwords for one account, from all addresses, within one window, that mean an attack. */
  accountCeiling: number;
  windowMs: number;
}

/** One account from one address: wrong passwords in a row, and when it may try again. */
export interface PairState {
  failures: number;
  nextAttemptAt: Date;
}

export type Admission =
  | { admitted: false; retryAfterMs: number }
  /** `next`: the pair with this attempt counted as a wrong password (a right one clears it). */
  | { admitted: true; next: PairState };

/** Past the ceiling, every address of the account waits from its first wrong password. */
export const underAttack = (accountFailures: number, policy: ThrottlePolicy): boolean =>
  accountFailures >= policy.accountCeiling;

/** The failure that brings the account to the ceiling raises the alert: once per window. */
export const reachesCeiling = (accountFailures: number, policy: ThrottlePolicy): boolean =>
  accountFailures === policy.accountCeiling;

/** How long a pair waits after its `failures`-th wrong password in a row. */
export function delayAfter(failures: number, attacked: boolean, policy: ThrottlePolicy): number {
  const free = attacked ? 0 : policy.freeFailures;
  if (failures <= free) return 0;
  // Capped exponent: 2^40 ms is beyond any sensible maximum already.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(failures - free - 1, 40));
}

/**
 * Whether an attempt of `pair` (null: none before) may have its password checked at `now`,
 * given the account's wrong passwords in the current window (before this attempt).
 */
export function admit(
  pair: PairState | null,
  accountFailures: number,
  policy: ThrottlePolicy,
  now: Date,
): Admission {
  if (pair && pair.nextAttemptAt.getTime() > now.getTime()) {
    return { admitted: false, retryAfterMs: pair.nextAttemptAt.getTime() - now.getTime() };
  }
  const failures = (pair?.failures ?? 0) + 1;
  const wait = delayAfter(failures, underAttack(accountFailures, policy), policy);
  return { admitted: true, next: { failures, nextAttemptAt: new Date(now.getTime() + wait) } };
}

/** The account's counting window at `now`: its number, and when it ends. */
export function windowAt(
  now: Date,
  policy: Pick<ThrottlePolicy, 'windowMs'>,
): { index: number; endsAt: Date } {
  const index = Math.floor(now.getTime() / policy.windowMs);
  return { index, endsAt: new Date((index + 1) * policy.windowMs) };
}
