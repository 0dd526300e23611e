import type { Stage } from '@delivery/contracts';
import type { z } from 'zod';
import type { SecretPath } from './secrets.js';

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

export type Payload = Record<string, unknown>;

/** What a person may add to a NEEDS_HUMAN job's payload when they resume it. */
export interface ResumeSpec {
  /** The accepted input; anything else is refused (422) before the job is touched. */
  input: z.ZodType<Payload>;
  /** How the parsed input joins the stored payload. */
  merge(payload: Payload, input: Payload): Payload;
}

/**
 * What a job kind declares besides its handler. The API enforces it (enqueue, resume, reads);
 * the handler parses with the same payload schema, so both sides agree on one definition.
 */
export interface JobKindSpec {
  payload: z.ZodType;
  /** Payload paths shown as "***" by every API output, on top of the credential-named keys. */
  secrets?: readonly SecretPath[];
  /** Omitted: resume accepts no input (the job just runs again). */
  resume?: ResumeSpec;
}

export type JobKinds = Readonly<Record<string, JobKindSpec>>;
