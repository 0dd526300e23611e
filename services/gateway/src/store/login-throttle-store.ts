import type { PairState } from '../domain/login-throttle.js';
import type { GatewayModels, LoginThrottleDocument } from './models.js';

/** A pair's count is forgotten this long after it may try again (it never signed in meanwhile). */
const FORGET_PAIR_AFTER_MS = 24 * 3_600_000;

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;
const pairId = (email: string, address: string) => `pair:${email}:${address}`;
const windowId = (email: string, window: number) => `account:${email}:${window}`;

/**
 * The counts behind sign-in throttling. Every change is one atomic update: a pair's count moves
 * only from the value it was read with (so two attempts never both take the same place), and an
 * account's count is one upsert increment.
 */
export class LoginThrottleStore {
  constructor(private readonly throttles: GatewayModels['loginThrottles']) {}

  /** The pair's state, or null when it has none (never tried, signed in since, or forgotten). */
  async pair(email: string, address: string): Promise<PairState | null> {
    const found = await this.throttles.findById(pairId(email, address)).lean<LoginThrottleDocument>();
    return found ? { failures: found.failures, nextAttemptAt: found.nextAttemptAt ?? new Date(0) } : null;
  }

  /**
   * Moves the pair from `seen` (as read) to `next`, if no other attempt moved it meanwhile:
   * false when one did (read again and decide again).
   */
  async claim(email: string, address: string, seen: PairState | null, next: PairState): Promise<boolean> {
    const update = {
      $set: {
        email,
        failures: next.failures,
        nextAttemptAt: next.nextAttemptAt,
        expiresAt: new Date(next.nextAttemptAt.getTime() + FORGET_PAIR_AFTER_MS),
      },
    };
    try {
      // Never stored with 0 failures, so a pair seen as none matches only while it has no document.
      const { matchedCount, upsertedCount } = await this.throttles.updateOne(
        { _id: pairId(email, address), failures: seen?.failures ?? 0 },
        update,
        { upsert: seen === null },
      );
      return matchedCount + upsertedCount === 1;
    } catch (error) {
      // Another first attempt created it first.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** A right password: the pair starts again from nothing. */
  async clearPair(email: string, address: string): Promise<void> {
    await this.throttles.deleteOne({ _id: pairId(email, address) });
  }

  /** The account's wrong passwords, from all addresses, in window `window`. */
  async accountFailures(email: string, window: number): Promise<number> {
    const found = await this.throttles.findById(windowId(email, window)).lean<LoginThrottleDocument>();
    return found?.failures ?? 0;
  }

  /** Counts one more (or, with -1, one less) for the account in `window`; the new count. */
  async countAccount(email: string, window: { index: number; endsAt: Date }, by: 1 | -1): Promise<number> {
    const count = () =>
      this.throttles
        .findOneAndUpdate(
          { _id: windowId(email, window.index) },
          { $inc: { failures: by }, $setOnInsert: { email, nextAttemptAt: null, expiresAt: window.endsAt } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean<LoginThrottleDocument>();
    // Two first counts at once: one inserts, the other (where the server does not retry it
    // itself) fails on the key and finds the document the second time.
    const counted = await count().catch((error: unknown) => {
      if (isDuplicateKey(error)) return count();
      throw error;
    });
    return counted?.failures ?? 0;
  }

  /** An admin's unlock: everything counted against the account, from every address; how much. */
  async clear(email: string): Promise<number> {
    return (await this.throttles.deleteMany({ email })).deletedCount;
  }
}
