import type { StopReason } from './job-stopped.js';
import type { HandlerRun } from './run-handler.js';

/**
 * What is written when an attempt ends: its outcome (`record`, fenced by the lease token, so a
 * job taken over refuses it harmlessly), the job put back QUEUED without counting the attempt
 * (`interrupt`), or nothing, leaving the job to the scheduler once its lease expires.
 */
export type AttemptWrite = 'record' | 'interrupt' | 'nothing';

export function attemptWrite(run: HandlerRun, stoppedFor: StopReason | undefined): AttemptWrite {
  // Still running: only a cancel may end the job (CANCELED is never run again).
  if (!run.settled) return stoppedFor === 'cancel-requested' ? 'record' : 'nothing';
  // Work the handler finished despite being stopped is kept.
  if (run.result.outcome !== 'failed') return 'record';
  // A failure after a stop is most likely the stop itself, not the job's fault.
  if (stoppedFor === 'shutdown') return 'interrupt';
  if (stoppedFor === 'heartbeats-failing') return 'nothing';
  return 'record';
}
