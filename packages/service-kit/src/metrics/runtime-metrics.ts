import type { DeadLetters, OutboxRelay } from '@delivery/messaging';
import type { Readiness } from '../http/readiness.js';
import { cachedRead, scrapedGauge } from './scraped-gauge.js';

const outboxPending = scrapedGauge({
  name: 'delivery_outbox_pending_documents',
  help: 'Documents whose outbox holds entries not yet published, by collection',
  labelNames: ['outbox'] as const,
});

const outboxOldestAge = scrapedGauge({
  name: 'delivery_outbox_oldest_age_seconds',
  help: 'Age of the oldest outbox entry not yet published, by collection (0 when none waits)',
  labelNames: ['outbox'] as const,
});

const deadLetterMessages = scrapedGauge({
  name: 'delivery_dead_letter_messages',
  help: 'Messages waiting in each dead-letter queue of the service (for an operator to replay or drop)',
  labelNames: ['queue'] as const,
});

const readinessCheck = scrapedGauge({
  name: 'delivery_readiness_check',
  help: 'Each readiness check of the process as /readyz runs it: 1 ok, 0 failing',
  labelNames: ['check'] as const,
});

export interface WatchedRuntime {
  relays: readonly OutboxRelay[];
  deadLetters: DeadLetters;
  readiness: Readiness;
}

/**
 * Puts a runtime's outbox backlog, dead-letter queues and readiness on /metrics, each read when
 * scraped (cached briefly, so several scrapers cost one read). Returns what takes them off,
 * for shutdown.
 */
export function watchRuntime(runtime: WatchedRuntime, now: () => number = Date.now): () => void {
  const backlogs = cachedRead(() => Promise.all(runtime.relays.map((relay) => relay.backlog())));
  const depths = cachedRead(() => runtime.deadLetters.depths());
  const readiness = cachedRead(() => runtime.readiness.evaluate(), {
    timeoutMs: runtime.readiness.timeoutMs + 500,
  });
  const removers = [
    outboxPending.addSource(async () =>
      (await backlogs()).map((backlog) => ({
        labels: { outbox: backlog.collection },
        value: backlog.documents,
      })),
    ),
    outboxOldestAge.addSource(async () =>
      (await backlogs()).map((backlog) => ({
        labels: { outbox: backlog.collection },
        value: backlog.oldestAt ? Math.max(0, (now() - backlog.oldestAt.getTime()) / 1000) : 0,
      })),
    ),
    deadLetterMessages.addSource(async () =>
      (await depths()).flatMap(({ queue, count }) =>
        count === null ? [] : [{ labels: { queue }, value: count }],
      ),
    ),
    readinessCheck.addSource(async () =>
      Object.entries((await readiness()).checks).map(([check, outcome]) => ({
        labels: { check },
        value: outcome === 'ok' ? 1 : 0,
      })),
    ),
  ];
  return () => {
    for (const remove of removers) remove();
  };
}
