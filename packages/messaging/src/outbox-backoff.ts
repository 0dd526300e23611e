export interface OutboxBackoff {
  /** The delay after a document's first failed publish; it doubles with every further failure. */
  firstDelayMs: number;
  /** The longest delay: how late a document is tried again after a long outage ends. */
  maxDelayMs: number;
}

/**
 * How long a document whose oldest entry could not be published waits before the relay tries it
 * again, after `failures` failures in a row. Half of it is random so that documents that failed
 * together (a broker outage) do not all come back at the same moment.
 */
export function outboxRetryDelayMs(
  failures: number,
  backoff: OutboxBackoff,
  random: () => number = Math.random,
): number {
  const doublings = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(backoff.maxDelayMs, backoff.firstDelayMs * 2 ** doublings);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
