/**
 * Why the lease keeper stopped a generation before it finished. Neither writes anything after:
 * on `lease-lost` the run is no longer ours (canceled, or handed to another worker); on
 * `heartbeats-failing` it may not be, and the sweeper puts it back when its lease expires.
 */
export type RunStopReason = 'lease-lost' | 'heartbeats-failing';

/** The AbortSignal's reason, so a generator (and its logs) can tell why it was stopped. */
export class RunStoppedError extends Error {
  override readonly name = 'RunStoppedError';

  constructor(
    readonly reason: RunStopReason,
    message: string,
  ) {
    super(message);
  }
}
