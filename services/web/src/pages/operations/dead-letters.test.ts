import { describe, expect, test } from 'vitest';
import type { DeadLetter, DeadLetterQueueReport } from '../../api/answers';
import { requestOf } from '../../api/client';
import {
  canReplayAll,
  type DeadLetterService,
  inspectText,
  queueSummary,
  replayedText,
  replayKeyOf,
} from './dead-letters';
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
    const replayOf = (service: DeadLetterService, queue: string) =>
      requestOf(replayKeyOf(service), { params: { queue } });
    expect(replayOf('job-runner', 'job-runner.enqueue.dlq')).toEqual({
      method: 'POST',
      url: '/api/dead-letters/job-runner/job-runner.enqueue.dlq/replay',
    });
    expect(replayOf('hitl', 'a/b').url).toBe('/api/dead-letters/hitl/a%2Fb/replay');
    const queue = 'hitl.evaluate.dlq';
    expect(replayedText({ queue, replayed: ['m1'] })).toBe('Replayed 1 message.');
    expect(replayedText({ queue, replayed: ['m1', 'm2', 'm3'] })).toBe('Replayed 3 messages.');
    expect(replayedText({ queue, replayed: [] })).toBe('Nothing to replay: the queue was empty.');
  });

  test('inspecting shows everything the service told, a body included', () => {
    const told = { ...letter, body: { projectId: 'p1' } };
    expect(JSON.parse(inspectText(told))).toEqual(told);
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
