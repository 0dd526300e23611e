/** Why a message went to its dead-letter queue. */
export type DeadLetterReason = 'malformed' | 'unprocessable' | 'retries_exhausted';

/**
 * What a durable queue's consumer reports about each delivery it settles, so the process can
 * count it (service-kit turns these into Prometheus counters). This package stays free of any
 * metrics library: the default reports nowhere.
 */
export interface ConsumerMetrics {
  /** This process started consuming `queue` (its counters can start at zero). */
  consuming(queue: string): void;
  /** The handler succeeded, after `seconds`. */
  handled(queue: string, seconds: number): void;
  /** The handler failed and a retry copy was sent. */
  retried(queue: string): void;
  /** The message was sent to the queue's dead-letter queue. */
  deadLettered(queue: string, reason: DeadLetterReason): void;
}

export const noConsumerMetrics: ConsumerMetrics = {
  consuming() {},
  handled() {},
  retried() {},
  deadLettered() {},
};
