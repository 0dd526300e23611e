import { cachedRead, defineHistogram, scrapedGauge } from '@delivery/service-kit';
import { readJobGauges, WAITING_STATES } from './store/job-gauges.js';
import type { AttemptOutcome, JobModel } from './store/job-model.js';

const jobs = scrapedGauge({
  name: 'delivery_jobs',
  help: 'Jobs waiting, by state (QUEUED, RUNNING, NEEDS_HUMAN) and kind',
  labelNames: ['state', 'kind'] as const,
});

const oldestQueuedAge = scrapedGauge({
  name: 'delivery_jobs_oldest_queued_age_seconds',
  help: 'By kind, how long the QUEUED job that came due first has waited since (0 when none waits)',
  labelNames: ['kind'] as const,
});

const jobDuration = defineHistogram({
  name: 'delivery_job_duration_seconds',
  help: 'How long a job attempt ran in a worker, by kind and outcome (success, failed, needs_human, canceled, ...)',
  labelNames: ['kind', 'outcome'] as const,
  buckets: [0.05, 0.25, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
});

/**
 * Puts the job queue on the API process's /metrics, read from the store when scraped (cached
 * briefly). Every kind in `kinds` shows, at 0 when none waits, so alerts and dashboards have
 * a series from the start. Returns what takes them off, for shutdown.
 */
export function watchJobs(model: JobModel, kinds: readonly string[], now: () => Date = () => new Date()) {
  const read = cachedRead(() => readJobGauges(model, now()));
  const removers = [
    jobs.addSource(async () => {
      const { waiting } = await read();
      const counts = new Map(waiting.map((entry) => [`${entry.state} ${entry.kind}`, entry.count]));
      const allKinds = new Set([...kinds, ...waiting.map((entry) => entry.kind)]);
      return WAITING_STATES.flatMap((state) =>
        [...allKinds].map((kind) => ({
          labels: { state, kind },
          value: counts.get(`${state} ${kind}`) ?? 0,
        })),
      );
    }),
    oldestQueuedAge.addSource(async () => {
      const { oldestDue } = await read();
      const due = new Map(oldestDue.map((entry) => [entry.kind, entry.dueAt]));
      const at = now().getTime();
      return [...new Set([...kinds, ...due.keys()])].map((kind) => {
        const dueAt = due.get(kind);
        return { labels: { kind }, value: dueAt ? Math.max(0, (at - dueAt.getTime()) / 1000) : 0 };
      });
    }),
  ];
  return () => {
    for (const remove of removers) remove();
  };
}

/** Times one attempt in a worker; call what it returns with the attempt's outcome. */
export function timeJobAttempt(kind: string): (outcome: AttemptOutcome) => void {
  const stop = jobDuration.startTimer({ kind });
  return (outcome) => void stop({ outcome });
}
