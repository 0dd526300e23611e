import type { Model, QueryFilter } from 'mongoose';
import type { Logger } from 'pino';
import { type Repeating, repeat } from '../lifecycle/repeat.js';

const DAY_MS = 86_400_000;

/** The instant before which records are past a retention of `days`; undefined for 0 (keep forever). */
export function retentionCutoff(now: Date, days: number): Date | undefined {
  return days > 0 ? new Date(now.getTime() - days * DAY_MS) : undefined;
}

/** One kind of record that ages out: which documents are past the cutoff, and how to forget them. */
export interface RetentionRule {
  /** Names the rule in logs. */
  name: string;
  /** What the log says the rule keeps, e.g. `90 days` or `forever`. */
  keeps: string;
  /** The instant before which records go; undefined when the rule keeps everything. */
  cutoff(now: Date): Date | undefined;
  /**
   * Removes up to `limit` records older than `cutoff` and returns how many it removed. Must be
   * idempotent: every API replica sweeps, so two may remove the same records at once.
   */
  sweep(cutoff: Date, limit: number): Promise<number>;
}

/**
 * A rule that deletes whole documents matching `filter(cutoff)`, the cutoff being `days` ago
 * (0 keeps everything).
 */
export function deleteOlderThan<Doc>(
  name: string,
  days: number,
  model: Model<Doc>,
  filter: (cutoff: Date) => QueryFilter<Doc>,
): RetentionRule {
  return {
    name,
    keeps: days > 0 ? `${days} days` : 'forever',
    cutoff: (now) => retentionCutoff(now, days),
    sweep: deleteInBatches(model, filter),
  };
}

/** A rule that deletes documents whose own expiry (`filter(now)`) has passed. */
export function deleteExpired<Doc>(
  name: string,
  model: Model<Doc>,
  filter: (now: Date) => QueryFilter<Doc>,
): RetentionRule {
  return { name, keeps: 'until expiry', cutoff: (now) => now, sweep: deleteInBatches(model, filter) };
}

/**
 * Deletes in batches of ids so one pass never holds a huge delete, and repeats the filter on
 * delete so a document that changed in between (a job retried) is kept.
 */
function deleteInBatches<Doc>(model: Model<Doc>, filter: (cutoff: Date) => QueryFilter<Doc>) {
  return async (cutoff: Date, limit: number): Promise<number> => {
    const aged = await model.find(filter(cutoff), { _id: 1 }).limit(limit).lean<{ _id: unknown }[]>();
    if (aged.length === 0) return 0;
    const ids = aged.map((document) => document._id);
    const { deletedCount } = await model.deleteMany({
      $and: [{ _id: { $in: ids } }, filter(cutoff)],
    } as QueryFilter<Doc>);
    return deletedCount;
  };
}

export interface SweepOptions {
  /** Records removed per batch. */
  batch?: number;
  /** Batches per rule per pass: a backlog (retention just lowered) is worked off over several passes. */
  maxBatches?: number;
}

/** Runs every rule once; returns how many records each removed (rules that keep everything are skipped). */
export async function sweepRetention(
  rules: RetentionRule[],
  now: Date,
  { batch = 500, maxBatches = 20 }: SweepOptions = {},
): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const rule of rules) {
    const cutoff = rule.cutoff(now);
    if (!cutoff) continue;
    let total = 0;
    for (let round = 0; round < maxBatches; round++) {
      const count = await rule.sweep(cutoff, batch);
      total += count;
      if (count < batch) break;
    }
    removed[rule.name] = total;
  }
  return removed;
}

/**
 * Sweeps the rules every `intervalMs` in the API process. No lease: each rule's delete is
 * conditional on the record still being past the cutoff, so replicas sweeping together only
 * race to delete the same documents, which is harmless, and a sweep costs an indexed query.
 */
export function startRetentionSweeps(
  rules: RetentionRule[],
  intervalMs: number,
  logger: Logger,
  clock: () => Date = () => new Date(),
): Repeating {
  logger.info({ retention: Object.fromEntries(rules.map((rule) => [rule.name, rule.keeps])) }, 'retention');
  return repeat(
    'retention sweep',
    intervalMs,
    async () => {
      const removed = await sweepRetention(rules, clock());
      if (Object.values(removed).some((count) => count > 0))
        logger.info({ removed }, 'removed records past retention');
    },
    logger,
  );
}
