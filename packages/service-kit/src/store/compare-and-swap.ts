import { DomainError } from '../http/errors.js';

/**
 * What a round returns when its conditional write matched nothing: the state it decided on
 * changed meanwhile (another request, a worker, a sweeper won the race), so read and decide again.
 */
export const CHANGED_MEANWHILE: unique symbol = Symbol('changed meanwhile');

/**
 * Rounds of "it changed meanwhile" before giving up. Each lost round means another writer made
 * progress, so reaching this takes a storm of writes on one document; retrying without bound
 * would let such a storm (or a bug whose write can never match) pin a request, and its stack,
 * for ever.
 */
export const MAX_ROUNDS = 20;

/**
 * The document kept changing under every round: 503, since nothing is wrong with the request
 * and the same request may well succeed in a moment (a consumer's message is retried by the
 * broker).
 */
export class ContendedError extends DomainError {
  readonly status = 503;
  readonly code = 'contended';

  constructor(subject: string, rounds: number) {
    super(`${subject} kept changing while this change was being written (${rounds} tries); try again`, {
      rounds,
    });
  }
}

export interface CompareAndSwapOptions {
  /** Defaults to MAX_ROUNDS. */
  maxRounds?: number;
}

/**
 * Optimistic concurrency, bounded: `round` reads the current state, decides on it, and writes
 * conditional on what it read (the compare in compare-and-swap); it returns the answer, or
 * CHANGED_MEANWHILE when its write matched nothing, and then it runs again on fresh state, at
 * most `maxRounds` times in all. A decision that refuses (a 404, a 409 for the state it found)
 * is thrown from `round` and ends it at once. `subject` names the document for the error, e.g.
 * "job 123".
 */
export async function compareAndSwap<T>(
  subject: string,
  round: (attempt: number) => Promise<T | typeof CHANGED_MEANWHILE>,
  options: CompareAndSwapOptions = {},
): Promise<T> {
  const maxRounds = options.maxRounds ?? MAX_ROUNDS;
  for (let attempt = 1; attempt <= maxRounds; attempt++) {
    const outcome = await round(attempt);
    if (outcome !== CHANGED_MEANWHILE) return outcome;
  }
  throw new ContendedError(subject, maxRounds);
}
