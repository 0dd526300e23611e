import type { JobStatus } from '@delivery/contracts';
import { decideAfterFailure, decideCancel } from './transitions.js';

const policy = { baseMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0 };
const now = new Date('2026-01-01T00:00:00Z');

test('a failed attempt below maxAttempts is retried after the backoff delay', () => {
  expect(decideAfterFailure(1, 3, now, policy)).toEqual({
    status: 'QUEUED',
    delayMs: 1_000,
    nextRunAt: new Date('2026-01-01T00:00:01Z'),
  });
  expect(decideAfterFailure(2, 3, now, policy)).toMatchObject({ status: 'QUEUED', delayMs: 2_000 });
});

test('the last allowed attempt failing fails the job and dead-letters it', () => {
  expect(decideAfterFailure(3, 3, now, policy)).toEqual({ status: 'FAILED', deadLettered: true });
  expect(decideAfterFailure(1, 1, now, policy)).toEqual({ status: 'FAILED', deadLettered: true });
});

test.each<[JobStatus, string]>([
  ['QUEUED', 'cancel-now'],
  ['NEEDS_HUMAN', 'cancel-now'],
  ['RUNNING', 'signal-worker'],
  ['SUCCESS', 'conflict'],
  ['FAILED', 'conflict'],
  ['CANCELED', 'conflict'],
])('cancel from %s: %s', (status, kind) => {
  expect(decideCancel(status).kind).toBe(kind);
});
