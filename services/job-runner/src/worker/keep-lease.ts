import type { Logger } from '@delivery/service-kit';
import type { ClaimedJob, JobLeases } from '../store/job-leases.js';
import type { StopReason } from './job-stopped.js';

export interface LeaseTiming {
  leaseMs: number;
  heartbeatMs: number;
}

/**
 * How long a worker may go without a successful heartbeat before it gives its job up: one
 * heartbeat interval before its lease ends (less when heartbeats are nearly as long as the
 * lease), so the handler is stopped before the scheduler can hand the job to another worker.
 * The scheduler waits CLOCK_SKEW_ALLOWANCE_MS past the lease's end, so a scheduler clock running
 * ahead by up to that much does not eat into this margin.
 */
export const abandonLeaseAfterMs = ({ leaseMs, heartbeatMs }: LeaseTiming): number =>
  leaseMs - Math.min(heartbeatMs, (leaseMs - heartbeatMs) / 2);

/**
 * Extends the lease every `heartbeatMs` until stopped, and reports once (then stops) when the
 * lease was lost, a cancel was asked for, or no heartbeat has succeeded for too long. A
 * heartbeat that hangs (database unreachable) does not hold the deadline back.
 */
export function keepLease(
  claim: ClaimedJob,
  deps: LeaseTiming & { leases: JobLeases; logger: Logger },
  onStop: (reason: Exclude<StopReason, 'shutdown'>, message: string) => void,
) {
  const abandonAfterMs = abandonLeaseAfterMs(deps);
  let beatTimer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(beatTimer);
    clearTimeout(deadline);
  };
  const report = (reason: Exclude<StopReason, 'shutdown'>, message: string) => {
    if (stopped) return;
    stop();
    onStop(reason, message);
  };
  const armDeadline = (ms: number) => {
    clearTimeout(deadline);
    deadline = setTimeout(
      () =>
        report(
          'heartbeats-failing',
          `no heartbeat succeeded for ${abandonAfterMs} ms; job given up before its ${deps.leaseMs} ms lease runs out`,
        ),
      Math.max(0, ms),
    );
  };
  const beat = async () => {
    const sentAt = performance.now();
    try {
      const state = await deps.leases.heartbeat(claim, deps.leaseMs);
      if (state === 'lost') return report('lease-lost', 'lease lost: the job was handed to another worker');
      if (state === 'cancel-requested') return report('cancel-requested', 'job canceled');
      // The lease now runs from when this beat was sent.
      if (!stopped) armDeadline(abandonAfterMs - (performance.now() - sentAt));
    } catch (error) {
      deps.logger.warn({ err: error, jobId: claim.job._id }, 'heartbeat failed');
    }
    if (!stopped) beatTimer = setTimeout(beat, deps.heartbeatMs);
  };
  armDeadline(abandonAfterMs);
  beatTimer = setTimeout(beat, deps.heartbeatMs);
  return { stop };
}
