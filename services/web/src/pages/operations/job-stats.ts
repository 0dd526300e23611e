import { JOB_STATUSES } from '@delivery/contracts/job-statuses';
import type { JobStats, JobSummary } from '../../api/answers';

/** Statuses that mean someone has to look: the table marks their non-zero counts. */
export const ATTENTION_STATUSES: readonly string[] = ['FAILED', 'NEEDS_HUMAN'];

export interface StatsRow {
  kind: string;
  /** One count per column of `StatsTable.statuses`. */
  counts: number[];
  total: number;
}

export interface StatsTable {
  statuses: string[];
  rows: StatsRow[];
  /** Per status over every kind, as the API counted it. */
  totals: number[];
  total: number;
}

/**
 * The stats as a kind × status table. Statuses in the job's lifecycle order, then any the app
 * does not know yet (a newer job-runner) so no job goes uncounted; kinds by name.
 */
export function statsTable(stats: JobStats): StatsTable {
  const seen = new Set([
    ...Object.keys(stats.byStatus),
    ...Object.values(stats.byKind).flatMap((counts) => Object.keys(counts)),
  ]);
  const known: string[] = [...JOB_STATUSES];
  const statuses = [...known, ...[...seen].filter((status) => !known.includes(status)).sort()];
  const rows = Object.keys(stats.byKind)
    .sort()
    .map((kind) => {
      const counts = statuses.map((status) => stats.byKind[kind]?.[status] ?? 0);
      return { kind, counts, total: sum(counts) };
    });
  const totals = statuses.map((status) => stats.byStatus[status] ?? 0);
  return { statuses, rows, totals, total: sum(totals) };
}

const sum = (numbers: number[]) => numbers.reduce((total, n) => total + n, 0);

/** "3 min 20 s": the two largest units, enough to tell a slow queue from a stuck one. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return 'under a second';
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1_000],
  ];
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of units) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0 || parts.length > 0) parts.push(`${amount} ${name}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith('0 ')).join(' ');
}

/** A waiting job whose last attempt failed: it runs again after its backoff (at `nextRunAt`). */
export const isRetrying = (job: JobSummary) => job.status === 'QUEUED' && job.error !== null;

/** "NEEDS_HUMAN" → "needs human": statuses as people read them. */
export const statusLabel = (status: string) => status.toLowerCase().replaceAll('_', ' ');
