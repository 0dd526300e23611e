import type { JobStatus } from '@delivery/contracts';
import type { JobModel } from './job-model.js';

/**
 * The states a job waits in. Finished jobs (SUCCESS, FAILED, CANCELED) pile up for good: counting
 * them on every scrape would read the whole collection. How jobs end is counted as they end
 * (delivery_job_duration_seconds, by outcome).
 */
export const WAITING_STATES = ['QUEUED', 'RUNNING', 'NEEDS_HUMAN'] as const satisfies readonly JobStatus[];

export interface JobGauges {
  /** Jobs in each waiting state, by kind. */
  waiting: { state: JobStatus; kind: string; count: number }[];
  /** By kind, when the job that has waited longest since it came due came due. */
  oldestDue: { kind: string; dueAt: Date }[];
}

/** Two aggregations, each on the {status, nextRunAt} index and bounded by what is not finished. */
export async function readJobGauges(model: JobModel, now: Date): Promise<JobGauges> {
  const [waiting, oldestDue] = await Promise.all([
    model.aggregate<{ _id: { state: JobStatus; kind: string }; count: number }>([
      { $match: { status: { $in: WAITING_STATES } } },
      { $group: { _id: { state: '$status', kind: '$kind' }, count: { $sum: 1 } } },
    ]),
    model.aggregate<{ _id: string; dueAt: Date }>([
      { $match: { status: 'QUEUED', nextRunAt: { $lte: now } } },
      { $group: { _id: '$kind', dueAt: { $min: '$nextRunAt' } } },
    ]),
  ]);
  return {
    waiting: waiting.map(({ _id, count }) => ({ ..._id, count })),
    oldestDue: oldestDue.map(({ _id, dueAt }) => ({ kind: _id, dueAt: new Date(dueAt) })),
  };
}
