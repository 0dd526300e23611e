import type { Stage } from '@delivery/contracts';

/** What a handler sees of its job. */
export interface JobView {
  id: string;
  projectId: string;
  stage: Stage;
  kind: string;
  payload: Record<string, unknown>;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  correlationId: string;
}

export interface JobContext {
  job: JobView;
  /** Fires when the job is canceled or this worker lost its lease: stop and return/throw soon. */
  signal: AbortSignal;
}

/**
 * How a handler ends a job. Throwing means "failed this attempt": a `PermanentJobError` fails
 * the job at once, anything else is retried with backoff until maxAttempts.
 */
export type HandlerResult =
  | { outcome: 'success'; result?: unknown }
  | { outcome: 'needs_human'; reason: string; result?: unknown };

export type JobHandler = (context: JobContext) => Promise<HandlerResult>;

/** A failure that retrying cannot fix (bad input, a 4xx from an executor). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
