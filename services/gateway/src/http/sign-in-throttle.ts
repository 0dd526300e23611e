import type { Logger } from '@delivery/service-kit';
import { admit, reachesCeiling, type ThrottlePolicy, windowAt } from '../domain/login-throttle.js';
import type { AuditEntry, AuditLog } from '../store/audit-log.js';
import type { LoginThrottleStore } from '../store/login-throttle-store.js';

/** Rounds an attempt may lose to parallel attempts of its own pair before it is refused. */
const MAX_ROUNDS = 5;

export type SignInAttempt =
  | { admitted: false }
  /** Checked: call `succeeded` if the password was right (the attempt stops counting). */
  | { admitted: true; succeeded(): Promise<void> };

/**
 * Throttles password checks per email and address (see domain/login-throttle.ts): each attempt
 * is counted before its password is checked, and one past the ceiling of an account's wrong
 * passwords raises the alert (an error log line and an audit record).
 */
export class SignInThrottle {
  constructor(
    private readonly store: LoginThrottleStore,
    private readonly policy: ThrottlePolicy,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** An attempt of `email` from `address`; `context` is who it is for the audit. */
  async attempt(
    email: string,
    address: string,
    context: Pick<AuditEntry, 'actor' | 'ip' | 'target'>,
  ): Promise<SignInAttempt> {
    const now = this.clock();
    const window = windowAt(now, this.policy);
    const accountFailures = await this.store.accountFailures(email, window.index);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const seen = await this.store.pair(email, address);
      const admission = admit(seen, accountFailures, this.policy, now);
      if (!admission.admitted) return { admitted: false };
      if (!(await this.store.claim(email, address, seen, admission.next))) continue;
      const failures = await this.store.countAccount(email, window, 1);
      if (reachesCeiling(failures, this.policy)) await this.alert(email, failures, context);
      return {
        admitted: true,
        succeeded: async () => {
          await this.store.clearPair(email, address);
          await this.store.countAccount(email, window, -1);
        },
      };
    }
    // Many attempts of this very pair at once, each taking the place another just took.
    return { admitted: false };
  }

  /** Clears everything counted against `email` (an admin's unlock); how many records that was. */
  clear(email: string): Promise<number> {
    return this.store.clear(email);
  }

  private async alert(email: string, failures: number, context: Pick<AuditEntry, 'actor' | 'ip' | 'target'>) {
    const windowMinutes = this.policy.windowMs / 60_000;
    this.logger.error(
      { email, failures, windowMinutes, alert: 'login_ceiling_reached' },
      'many wrong passwords for one account from several addresses: every address now waits from its first wrong password',
    );
    await this.audit.record({
      ...context,
      action: 'login_ceiling_reached',
      details: { email, failures, windowMinutes },
    });
  }
}
