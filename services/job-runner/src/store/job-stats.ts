import type { JobModel } from './job-model.js';

export interface JobStats {
  byStatus: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
  /** Age of the job that has waited longest since it came due, or null when none waits. */
  oldestQueuedAgeMs: number | null;
  retriesScheduled: number;
  deadLettered: number;
}

export async function jobStats(model: JobModel, now: Date): Promise<JobStats> {
  const [groups, oldest, totals, deadLettered] = await Promise.all([
    model.aggregate<{ _id: { status: string; kind: string }; count: number }>([
      { $group: { _id: { status: '$status', kind: '$kind' }, count: { $sum: 1 } } },
    ]),
    model
      .findOne({ status: 'QUEUED', nextRunAt: { $lte: now } }, { nextRunAt: 1 })
      .sort({ nextRunAt: 1 })
      .lean<{ nextRunAt: Date }>(),
    model.aggregate<{ retries: number }>([{ $group: { _id: null, retries: { $sum: '$retries' } } }]),
    model.countDocuments({ deadLetteredAt: { $ne: null } }),
  ]);
  const byStatus: Record<string, number> = {};
  const byKind: Record<string, Record<string, number>> = {};
  for (const { _id, count } of groups) {
    byStatus[_id.status] = (byStatus[_id.status] ?? 0) + count;
    byKind[_id.kind] = { ...byKind[_id.kind], [_id.status]: count };
  }
  return {
    byStatus,
    byKind,
    oldestQueuedAgeMs: oldest ? now.getTime() - oldest.nextRunAt.getTime() : null,
    retriesScheduled: totals[0]?.retries ?? 0,
    deadLettered,
  };
}
