import type { ConsumerMetrics } from '@delivery/messaging';
import { defineCounter, defineHistogram } from './registry.js';

const consumed = defineCounter({
  name: 'delivery_messages_consumed_total',
  help: 'Messages of a durable queue whose handler succeeded',
  labelNames: ['queue'] as const,
});

const handling = defineHistogram({
  name: 'delivery_message_handling_duration_seconds',
  help: 'How long a durable queue handler took on a message it handled',
  labelNames: ['queue'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
});

const retried = defineCounter({
  name: 'delivery_messages_retried_total',
  help: 'Messages whose handler failed and which were sent to a retry queue',
  labelNames: ['queue'] as const,
});

const deadLettered = defineCounter({
  name: 'delivery_messages_dead_lettered_total',
  help: "Messages sent to their queue's dead-letter queue, by reason (malformed, unprocessable, retries_exhausted)",
  labelNames: ['queue', 'reason'] as const,
});

/** The broker's consumers report here (Broker.connect's `consumerMetrics`). */
export const consumerMetrics: ConsumerMetrics = {
  // Every queue starts at zero, so `increase()` sees its first message and dashboards list it.
  consuming(queue) {
    consumed.inc({ queue }, 0);
    retried.inc({ queue }, 0);
  },
  handled(queue, seconds) {
    consumed.inc({ queue });
    handling.observe({ queue }, seconds);
  },
  retried(queue) {
    retried.inc({ queue });
  },
  deadLettered(queue, reason) {
    deadLettered.inc({ queue, reason });
  },
};
