import { describe, expect, test } from 'vitest';
import { canReplayAll, inspectText, queueSummary, replayedText, replayPath } from './dead-letters';
import type { DeadLetter, DeadLetterQueueReport } from './types';
import { viewLink, viewOf } from './views';

const letter: DeadLetter = {
  id: 'm1',
  type: 'job-runner.enqueue',
  reason: 'unknown kind "nope"',
  originalExchange: 'delivery.commands',
  originalRoutingKey: 'job-runner.enqueue',
  firstFailureAt: '2026-11-26T10:00:00Z',
  lastFailureAt: '2026-11-26T10:00:05Z',
};
const report = (overrides: Partial<DeadLetterQueueReport>): DeadLetterQueueReport => ({
  queue: 'job-runner.enqueue.dlq',
  count: 1,
  messages: [letter],
  ...overrides,
});

describe('dead-letter queues', () => {
  test('a summary says how many, whether the list is cut, or why the queue is unread', () => {
    expect(queueSummary(report({}))).toBe('1 message');
    expect(queueSummary(report({ count: 0, messages: [] }))).toBe('Empty');
    expect(queueSummary(report({ count: 250 }))).toBe('250 messages, showing the oldest 1');
    expect(queueSummary(report({ count: null, messages: [], error: 'broker_unavailable' }))).toBe(
      'Could not be read: the broker could not be reached',
    );
  });

  test('replay all only where there is something to replay', () => {
    expect(canReplayAll(report({}))).toBe(true);
    expect(canReplayAll(report({ count: 0, messages: [] }))).toBe(false);
    expect(canReplayAll(report({ count: null, messages: [], error: 'queue_missing' }))).toBe(false);
  });

  test('replay goes to the service that holds the queue, the queue name encoded', () => {
    expect(replayPath('job-runner', 'job-runner.enqueue.dlq')).toBe(
      '/api/dead-letters/job-runner/job-runner.enqueue.dlq/replay',
    );
    expect(replayPath('hitl', 'a/b')).toBe('/api/dead-letters/hitl/a%2Fb/replay');
    const queue = 'hitl.evaluate.dlq';
    expect(replayedText({ queue, replayed: ['m1'] })).toBe('Replayed 1 message.');
    expect(replayedText({ queue, replayed: ['m1', 'm2', 'm3'] })).toBe('Replayed 3 messages.');
    expect(replayedText({ queue, replayed: [] })).toBe('Nothing to replay: the queue was empty.');
  });

  test('inspecting shows everything the service told, a body included', () => {
    const text = inspectText({ ...letter, body: { projectId: 'p1' } });
    expect(JSON.parse(text)).toEqual({ ...letter, body: { projectId: 'p1' } });
  });
});

describe('views', () => {
  test('the view comes from the URL, jobs when missing or unknown', () => {
    expect(viewOf(new URLSearchParams('view=gates'))).toBe('gates');
    expect(viewOf(new URLSearchParams('view=nope'))).toBe('jobs');
    expect(viewOf(new URLSearchParams())).toBe('jobs');
  });

  test('switching view keeps the rest of the URL', () => {
    expect(viewLink(new URLSearchParams('view=gates&project=p1'), 'jobs')).toBe('?view=jobs&project=p1');
  });
});
