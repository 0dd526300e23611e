import { describe, expect, test } from 'vitest';
import { staleKeysOf } from './live-events';

describe('which cached queries an event makes stale', () => {
  test('a stage change: the board and that project', () => {
    expect(staleKeysOf('pipeline.project.stage_changed.v1', { projectId: 'p1' })).toEqual([
      ['projects'],
      ['project', 'p1'],
    ]);
  });
  test('a job event: the board, the job lists and the project', () => {
    expect(staleKeysOf('jobs.job.retry_scheduled.v1', { projectId: 'p1' })).toEqual([
      ['projects'],
      ['jobs'],
      ['project', 'p1'],
    ]);
  });
  test('an approval: the inboxes, the board and the project', () => {
    expect(staleKeysOf('hitl.approval.granted.v1', { projectId: 'p1' })).toEqual([
      ['approvals'],
      ['projects'],
      ['project', 'p1'],
    ]);
  });
  test('a blueprint run: templates and runs; nothing else for events the app does not show', () => {
    expect(staleKeysOf('blueprints.run.succeeded.v1', {})).toEqual([['templates'], ['blueprint-runs']]);
    expect(staleKeysOf('pipeline.project.created.v1', {})).toEqual([['projects']]);
    expect(staleKeysOf('something.else.v1', { projectId: 'p1' })).toEqual([]);
  });
});
