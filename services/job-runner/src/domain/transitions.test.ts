import type { JobStatus } from '@delivery/contracts';
import { decideAfterFailure, decideCancel, decideClaim } from './transitions.js';

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

test('a worker whose clock runs behind still claims a job due within the skew allowance', () => {
  const job = (nextRunAt: Date, status: JobStatus = 'QUEUED') => ({ status, nextRunAt });
  const inMs = (ms: number) => new Date(now.getTime() + ms);
  expect(decideClaim(job(inMs(-1)), now, 0)).toEqual({ kind: 'claim' });
  expect(decideClaim(job(inMs(5_000)), now, 5_000)).toEqual({ kind: 'claim' });
  expect(decideClaim(job(inMs(5_001)), now, 5_000)).toEqual({ kind: 'not-due', dueInMs: 5_001 });
  expect(decideClaim(job(inMs(0), 'RUNNING'), now, 5_000)).toEqual({ kind: 'skip' });
  expect(decideClaim(null, now, 5_000)).toEqual({ kind: 'skip' });
});
