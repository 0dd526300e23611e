import { describe, expect, test } from 'vitest';
import type { ProjectSummary } from '../api/answers';
import { filtersOf, retryingByProject, visible } from './board-filters';

const project = (overrides: Partial<ProjectSummary>): ProjectSummary => ({
  id: 'p',
  name: 'P',
  client: 'Acme',
  templateId: 't',
  templateVersion: 1,
  status: 'active',
  currentStage: '3_build',
  stageStatus: 'blocked',
  generation: 1,
  reason: null,
  assignees: [],
  deliveryManagerId: null,
  createdAt: '2026-11-26T10:00:00Z',
  updatedAt: '2026-11-26T10:00:00Z',
  ...overrides,
});

describe('board filters', () => {
  test('read from the URL, ignoring what is not a filter', () => {
    expect(filtersOf(new URLSearchParams('status=blocked&stuck=30&client=&x=1'))).toEqual({
      status: 'blocked',
      client: undefined,
      manager: undefined,
      search: undefined,
      stuckMinutes: 30,
    });
    expect(filtersOf(new URLSearchParams('stuck=abc')).stuckMinutes).toBeUndefined();
  });

  test('retrying means a running stage whose job failed an attempt and is queued to try again', () => {
    const jobs = [
      { projectId: 'r', attempts: 2, maxAttempts: 5, error: 'timeout', nextRunAt: '2026-11-26T10:05:00Z' },
      { projectId: 'n', attempts: 0, maxAttempts: 5, error: null, nextRunAt: '2026-11-26T10:05:00Z' },
    ];
    const retrying = retryingByProject(jobs);
    expect([...retrying.keys()]).toEqual(['r']);
    const projects = [
      project({ id: 'r', stageStatus: 'running' }),
      project({ id: 'n', stageStatus: 'running' }),
    ];
    expect(visible(projects, { status: 'retrying' }, Date.now(), retrying).map((p) => p.id)).toEqual(['r']);
    // A project whose stage is no longer running is not retrying, whatever its old job says.
    expect(
      visible([project({ id: 'r', stageStatus: 'failed' })], { status: 'retrying' }, Date.now(), retrying),
    ).toEqual([]);
  });

  test('stuck for more than X minutes: active projects whose stage has not moved since', () => {
    const now = new Date('2026-11-26T11:00:00Z').getTime();
    const old = project({ id: 'old', updatedAt: '2026-11-26T10:00:00Z' });
    const fresh = project({ id: 'fresh', updatedAt: '2026-11-26T10:55:00Z' });
    const done = project({ id: 'done', status: 'completed', updatedAt: '2026-11-26T09:00:00Z' });
    expect(visible([old, fresh, done], { stuckMinutes: 30 }, now).map((p) => p.id)).toEqual(['old']);
  });
});
