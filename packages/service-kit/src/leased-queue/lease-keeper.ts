export interface LeaseTiming {
  leaseMs: number;
  heartbeatMs: number;
}

/**
 * How long a worker may go without a successful heartbeat before it gives its work up: one
 * heartbeat interval before its lease ends (less when heartbeats are nearly as long as the
 * lease), so the work is stopped before the lease's sweeper can hand it to another worker.
 * Sweepers wait a clock-skew allowance past the lease's end, so a sweeper clock running ahead
 * by up to that much does not eat into this margin.
 */
export const abandonLeaseAfterMs = ({ leaseMs, heartbeatMs }: LeaseTiming): number =>
  leaseMs - Math.min(heartbeatMs, (leaseMs - heartbeatMs) / 2);

/** What a heartbeat found: the lease was extended, or why the work must stop. */
export type HeartbeatOutcome<Reason extends string> = 'held' | { stop: Reason; message: string };

/** How much of a `leaseMs` lease ending at `expiresAt` (set on this process's clock) has passed. */
export const leaseElapsedMs = (expiresAt: Date | null | undefined, leaseMs: number): number =>
  expiresAt ? Math.max(0, leaseMs - (expiresAt.getTime() - Date.now())) : 0;

export interface LeaseKeeperOptions<Reason extends string> extends LeaseTiming {
  /** Extends the lease by `leaseMs` from now (a store write, fenced by the lease). */
  heartbeat: () => Promise<HeartbeatOutcome<Reason>>;
  /** A heartbeat that threw: the keeper goes on beating, the deadline keeps running. */
  onHeartbeatError: (error: unknown) => void;
  /** Called at most once; the keeper has stopped by then. */
  onStop: (reason: Reason | 'heartbeats-failing', message: string) => void;
  /**
   * How much of the first lease had passed when the keeper started: the lease runs from when the
   * claim computed it, before the claim's own round trips, which are slowest exactly when the
   * store is in trouble. The first deadline is that much sooner.
   */
  firstLeaseElapsedMs?: number;
}

export interface LeaseKeeper {
  stop(): void;
}

/**
 * Heartbeats every `heartbeatMs` until stopped, and reports once (then stops) when a heartbeat
 * says to stop or none has succeeded for `abandonLeaseAfterMs`. A heartbeat that hangs
 * (database unreachable) does not hold the deadline back, and beats never overlap.
 */
export function startLeaseKeeper<Reason extends string>(options: LeaseKeeperOptions<Reason>): LeaseKeeper {
  const abandonAfterMs = abandonLeaseAfterMs(options);
  let beatTimer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(beatTimer);
    clearTimeout(deadline);
  };
  const report = (reason: Reason | 'heartbeats-failing', message: string) => {
    if (stopped) return;
    stop();
    options.onStop(reason, message);
  };
  const armDeadline = (ms: number) => {
    clearTimeout(deadline);
    deadline = setTimeout(
      () =>
        report(
          'heartbeats-failing',
          `no heartbeat succeeded for ${abandonAfterMs} ms; given up before the ${options.leaseMs} ms lease runs out`,
        ),
      Math.max(0, ms),
    );
  };
  const beat = async () => {
    const sentAt = performance.now();
    try {
      const outcome = await options.heartbeat();
      if (outcome !== 'held') return report(outcome.stop, outcome.message);
      // The lease now runs from when this beat was sent.
      if (!stopped) armDeadline(abandonAfterMs - (performance.now() - sentAt));
    } catch (error) {
      options.onHeartbeatError(error);
    }
    if (!stopped) beatTimer = setTimeout(beat, options.heartbeatMs);
  };
  armDeadline(abandonAfterMs - (options.firstLeaseElapsedMs ?? 0));
  beatTimer = setTimeout(beat, options.heartbeatMs);
  return { stop };
}
