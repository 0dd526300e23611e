import type { AttemptResult } from '../store/job-leases.js';
import { attemptWrite } from './attempt-write.js';

const success: AttemptResult = { outcome: 'success', result: { ok: true } };
const needsHuman: AttemptResult = { outcome: 'needs_human', reason: 'review', result: null };
const failed: AttemptResult = { outcome: 'failed', error: 'AbortError: aborted', permanent: false };

test('an attempt nobody stopped records whatever the handler produced', () => {
  for (const result of [success, needsHuman, failed])
    expect(attemptWrite({ result, settled: true }, undefined)).toBe('record');
});

test('work finished after the heartbeat watchdog or a shutdown stopped the handler is recorded (fenced)', () => {
  for (const reason of ['heartbeats-failing', 'shutdown', 'lease-lost', 'cancel-requested'] as const) {
    expect(attemptWrite({ result: success, settled: true }, reason)).toBe('record');
    expect(attemptWrite({ result: needsHuman, settled: true }, reason)).toBe('record');
  }
});

test('a failure after a stop: a shutdown hands the job back, lost heartbeats leave it to its lease', () => {
  expect(attemptWrite({ result: failed, settled: true }, 'shutdown')).toBe('interrupt');
  expect(attemptWrite({ result: failed, settled: true }, 'heartbeats-failing')).toBe('nothing');
  expect(attemptWrite({ result: failed, settled: true }, 'cancel-requested')).toBe('record');
  expect(attemptWrite({ result: failed, settled: true }, 'lease-lost')).toBe('record');
});

test('a handler that ignored its abort and may still run hands its job to nobody, unless it was canceled', () => {
  for (const reason of ['heartbeats-failing', 'shutdown', 'lease-lost'] as const)
    expect(attemptWrite({ result: failed, settled: false }, reason)).toBe('nothing');
  expect(attemptWrite({ result: failed, settled: false }, 'cancel-requested')).toBe('record');
});
