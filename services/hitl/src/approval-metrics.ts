import { STAGES } from '@delivery/contracts';
import { cachedRead, scrapedGauge } from '@delivery/service-kit';
import { readPendingApprovals } from './store/approval-gauges.js';
import type { ApprovalModel } from './store/approval-model.js';

const pending = scrapedGauge({
  name: 'delivery_approvals_pending',
  help: 'Approvals waiting for a decision, by stage',
  labelNames: ['stage'] as const,
});

const oldestPendingAge = scrapedGauge({
  name: 'delivery_approvals_oldest_pending_age_seconds',
  help: 'How long the oldest pending approval has waited for a decision (0 when none waits)',
  labelNames: [] as const,
});

const nextExpiry = scrapedGauge({
  name: 'delivery_approvals_next_expiry_seconds',
  help: 'Seconds until the first pending approval expires undecided (absent when none is pending)',
  labelNames: [] as const,
});

/**
 * Puts the pending approvals on /metrics, read from the store when scraped (cached briefly).
 * Returns what takes them off, for shutdown.
 */
export function watchApprovals(model: ApprovalModel, clock: () => Date): () => void {
  const read = cachedRead(() => readPendingApprovals(model));
  const seconds = (ms: number) => ms / 1000;
  const removers = [
    pending.addSource(async () => {
      const byStage = new Map((await read()).map((group) => [group.stage, group.count]));
      return STAGES.map((stage) => ({ labels: { stage }, value: byStage.get(stage) ?? 0 }));
    }),
    oldestPendingAge.addSource(async () => {
      const groups = await read();
      const oldest = Math.min(...groups.map((group) => group.oldestRequestedAt.getTime()));
      return [
        { labels: {}, value: groups.length > 0 ? Math.max(0, seconds(clock().getTime() - oldest)) : 0 },
      ];
    }),
    nextExpiry.addSource(async () => {
      const groups = await read();
      if (groups.length === 0) return [];
      const first = Math.min(...groups.map((group) => group.firstExpiresAt.getTime()));
      return [{ labels: {}, value: seconds(first - clock().getTime()) }];
    }),
  ];
  return () => {
    for (const remove of removers) remove();
  };
}
