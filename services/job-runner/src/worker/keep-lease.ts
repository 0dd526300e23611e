import {
  type HeartbeatOutcome,
  type LeaseTiming,
  type Logger,
  leaseElapsedMs,
  startLeaseKeeper,
} from '@delivery/service-kit';
import type { ClaimedJob, JobLeases, LeaseState } from '../store/job-leases.js';
import type { StopReason } from './job-stopped.js';

type LeaseStop = Exclude<StopReason, 'shutdown' | 'heartbeats-failing'>;

/** The job's lease state as the lease keeper needs it: kept, or why the handler must stop. */
function heartbeatOutcome(state: LeaseState): HeartbeatOutcome<LeaseStop> {
  if (state === 'lost')
    return { stop: 'lease-lost', message: 'lease lost: the job was handed to another worker' };
  if (state === 'cancel-requested') return { stop: 'cancel-requested', message: 'job canceled' };
  return 'held';
}

/**
 * Extends the job's lease every `heartbeatMs` until stopped, and reports once (then stops) when
 * the lease was lost, a cancel was asked for, or no heartbeat has succeeded for too long.
 */
export function keepLease(
  claim: ClaimedJob,
  deps: LeaseTiming & { leases: JobLeases; logger: Logger },
  onStop: (reason: Exclude<StopReason, 'shutdown'>, message: string) => void,
) {
  return startLeaseKeeper<LeaseStop>({
    leaseMs: deps.leaseMs,
    heartbeatMs: deps.heartbeatMs,
    heartbeat: async () => heartbeatOutcome(await deps.leases.heartbeat(claim, deps.leaseMs)),
    firstLeaseElapsedMs: leaseElapsedMs(claim.job.leaseExpiresAt, deps.leaseMs),
    onHeartbeatError: (error) => deps.logger.warn({ err: error, jobId: claim.job._id }, 'heartbeat failed'),
    onStop,
  });
}
