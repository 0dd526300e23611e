import type { JobStatus } from '@delivery/contracts';
import { deleteOlderThan, type RetentionRule } from '@delivery/service-kit';
import type { JobModel } from './job-model.js';

/** States a job never leaves. NEEDS_HUMAN is not one: it waits for a person's answer. */
export const FINISHED_JOB_STATUSES: JobStatus[] = ['SUCCESS', 'FAILED', 'CANCELED'];

/**
 * Finished jobs older than `days` (by when they finished) are deleted once their outbox is
 * relayed; queued, running and waiting ones never are. A TTL index cannot say "only finished
 * ones" (a partial filter would, but the embedded store ignores those), hence a sweep.
 * Afterwards an enqueue with the same idempotency key would start a new job: commands are
 * redelivered within minutes, so a retention of days does not meet one.
 */
export function jobRetention(jobs: JobModel, days: number): RetentionRule[] {
  return [
    deleteOlderThan('finished jobs', days, jobs, (cutoff) => ({
      status: { $in: FINISHED_JOB_STATUSES },
      finishedAt: { $lt: cutoff },
      'outbox.0': { $exists: false },
    })),
  ];
}
