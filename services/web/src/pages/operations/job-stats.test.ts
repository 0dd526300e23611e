import { describe, expect, test } from 'vitest';
import type { JobSummary } from '../../api/answers';
import { formatDuration, isRetrying, statsTable, statusLabel } from './job-stats';

const job = (overrides: Partial<JobSummary>): JobSummary => ({
  id: 'j1',
  projectId: 'p1',
  stage: '3_build',
  kind: 'build',
  status: 'QUEUED',
  priority: 0,
  attempts: 0,
  maxAttempts: 5,
  retries: 0,
  error: null,
  needsHumanReason: null,
  nextRunAt: '2026-11-26T10:00:00Z',
  cancelRequested: false,
  idempotencyKey: 'p1:3_build:1',
  correlationId: 'c1',
  createdAt: '2026-11-26T10:00:00Z',
  startedAt: null,
  finishedAt: null,
  deadLetteredAt: null,
  ...overrides,
});

describe('job stats table', () => {
  test('one row per kind, columns in lifecycle order, totals as the API counted them', () => {
    const table = statsTable({
      byStatus: { FAILED: 2, QUEUED: 3, SUCCESS: 1 },
      byKind: { test: { QUEUED: 3 }, build: { FAILED: 2, SUCCESS: 1 } },
      oldestQueuedAgeMs: 1_000,
      retriesScheduled: 4,
      deadLettered: 2,
    });
    expect(table.statuses).toEqual(['QUEUED', 'RUNNING', 'SUCCESS', 'FAILED', 'NEEDS_HUMAN', 'CANCELED']);
    expect(table.rows).toEqual([
      { kind: 'build', counts: [0, 0, 1, 2, 0, 0], total: 3 },
      { kind: 'test', counts: [3, 0, 0, 0, 0, 0], total: 3 },
    ]);
    expect(table.totals).toEqual([3, 0, 1, 2, 0, 0]);
    expect(table.total).toBe(6);
  });

  test('a status the app does not know still gets its column, after the known ones', () => {
    const table = statsTable({
      byStatus: { PAUSED: 1, QUEUED: 1 },
      byKind: { http: { PAUSED: 1, QUEUED: 1 } },
      oldestQueuedAgeMs: null,
      retriesScheduled: 0,
      deadLettered: 0,
    });
    expect(table.statuses.at(-1)).toBe('PAUSED');
    expect(table.rows[0]?.counts.at(-1)).toBe(1);
    expect(table.total).toBe(2);
  });

  test('no jobs: no rows and zero totals', () => {
    const table = statsTable({
      byStatus: {},
      byKind: {},
      oldestQueuedAgeMs: null,
      retriesScheduled: 0,
      deadLettered: 0,
    });
    expect(table.rows).toEqual([]);
    expect(table.total).toBe(0);
  });
});

describe('durations', () => {
  test('the two largest units, skipping empty ones', () => {
    expect(formatDuration(400)).toBe('under a second');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 7_000)).toBe('2 h 5 min');
    expect(formatDuration(3_600_000 + 30_000)).toBe('1 h');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
  });
});

describe('job states', () => {
  test('retrying means queued again after a failed attempt', () => {
    expect(isRetrying(job({ status: 'QUEUED', attempts: 1, error: 'timeout' }))).toBe(true);
    expect(isRetrying(job({ status: 'QUEUED', error: null }))).toBe(false);
    expect(isRetrying(job({ status: 'FAILED', error: 'timeout' }))).toBe(false);
  });

  test('statuses read as words', () => {
    expect(statusLabel('NEEDS_HUMAN')).toBe('needs human');
  });
});
