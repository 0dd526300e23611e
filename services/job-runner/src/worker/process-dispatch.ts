import type { Logger } from '@delivery/service-kit';
import type { JobHandler } from '../handlers/handler.js';
import type { ClaimedJob, JobLeases, LeaseState } from '../store/job-leases.js';
import { runHandler } from './run-handler.js';

export interface WorkerSettings {
  workerId: string;
  leaseMs: number;
  heartbeatMs: number;
}

export interface WorkerDeps extends WorkerSettings {
  leases: JobLeases;
  handlers: Readonly<Record<string, JobHandler>>;
  logger: Logger;
}

/**
 * Handles one dispatch message: claim the job (or quietly skip it if someone else has it or it
 * is no longer due), run its handler while heartbeating, then record the outcome, fenced by the
 * lease token.
 */
export async function processDispatch(jobId: string, deps: WorkerDeps): Promise<void> {
  const claim = await deps.leases.claim(jobId, deps.workerId, deps.leaseMs);
  if (!claim) return;
  const log = deps.logger.child({ jobId, kind: claim.job.kind, attempt: claim.job.attempts });
  const controller = new AbortController();
  const heartbeat = keepLease(claim, deps, (state) => {
    log.warn({ state }, 'stopping handler');
    controller.abort(new Error(state === 'lost' ? 'lease lost' : 'job canceled'));
  });
  const result = await runHandler(deps.handlers[claim.job.kind], claim.job, controller.signal);
  heartbeat.stop();
  const recorded = await deps.leases.record(claim, result);
  if (recorded === 'lease-lost') log.warn('lease was lost while running; result discarded (fenced)');
}

/**
 * Extends the lease every `heartbeatMs` until stopped. Reports a lost lease or a requested
 * cancel once. Heartbeats that fail (database hiccup) are retried; if they keep failing the lease
 * runs out and the scheduler gives the job to another worker, and fencing discards our result.
 */
function keepLease(
  claim: ClaimedJob,
  deps: WorkerDeps,
  onStop: (state: Exclude<LeaseState, 'held'>) => void,
) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const beat = async () => {
    try {
      const state = await deps.leases.heartbeat(claim, deps.leaseMs);
      if (state !== 'held' && !stopped) {
        stopped = true;
        onStop(state);
        return;
      }
    } catch (error) {
      deps.logger.warn({ err: error, jobId: claim.job._id }, 'heartbeat failed');
    }
    if (!stopped) timer = setTimeout(beat, deps.heartbeatMs);
  };
  timer = setTimeout(beat, deps.heartbeatMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
