/**
 * A worker that heartbeats a lease must beat more often than the lease lasts, or the lease runs
 * out between two beats and another worker takes the work while it still runs. Every worker
 * config refines itself with this one rule: `.refine(heartbeatWithinLease.check, heartbeatWithinLease.issue)`.
 */
export const heartbeatWithinLease = {
  check: (config: { HEARTBEAT_MS: number; LEASE_MS: number }) => config.HEARTBEAT_MS < config.LEASE_MS,
  issue: {
    path: ['HEARTBEAT_MS'],
    message: 'HEARTBEAT_MS must be shorter than LEASE_MS, or the lease runs out between heartbeats',
  },
};
