/**
 * Why the worker stopped a handler before it finished. Each decides what is written after (see
 * attemptWrite): `cancel-requested` ends the job CANCELED, `shutdown` puts it back QUEUED
 * without counting the attempt once the handler has stopped, `lease-lost` and
 * `heartbeats-failing` keep only work the handler finished anyway, fenced by the lease (the job
 * may no longer be ours: the scheduler puts it back when the lease expires).
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
