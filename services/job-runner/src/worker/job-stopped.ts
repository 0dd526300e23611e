/**
 * Why the worker stopped a handler before it finished. Each decides what is written after:
 * `cancel-requested` ends the job CANCELED, `shutdown` puts it back QUEUED without counting the
 * attempt, `lease-lost` and `heartbeats-failing` write nothing (the job is no longer ours, or
 * may not be: the scheduler puts it back when the lease expires).
 */
export type StopReason = 'cancel-requested' | 'lease-lost' | 'heartbeats-failing' | 'shutdown';

/** The AbortSignal's reason, so a handler (and its logs) can tell why it was stopped. */
export class JobStoppedError extends Error {
  override readonly name = 'JobStoppedError';

  constructor(
    readonly reason: StopReason,
    message: string,
  ) {
    super(message);
  }
}
