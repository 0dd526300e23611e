import { HttpError } from '@delivery/service-kit';
import { urlForMessage } from '@delivery/service-kit/egress';
import type { z } from 'zod';
import { PermanentJobError } from '../handler.js';
import type { Fetcher } from './fetcher.js';
import { describeIssues } from './parse-payload.js';

/** 408 and 429 are 4xx that say "later", not "never". */
export const isPermanentHttpStatus = (status: number): boolean =>
  status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * Fetches and validates JSON owned by another service. A 4xx or an answer of the wrong shape
 * will not change on retry, so it fails the job; 5xx, timeouts and an open breaker propagate
 * and the queue retries.
 */
export async function fetchOwned<S extends z.ZodType>(
  fetcher: Fetcher,
  url: string,
  schema: S,
  what: string,
  signal: AbortSignal,
): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await fetcher.json(url, signal);
  } catch (err) {
    if (err instanceof HttpError && isPermanentHttpStatus(err.status)) {
      throw new PermanentJobError(`cannot fetch ${what} from ${urlForMessage(url)}: HTTP ${err.status}`, {
        cause: err,
      });
    }
    if (err instanceof PermanentJobError) {
      throw new PermanentJobError(`cannot fetch ${what}: ${err.message}`, { cause: err });
    }
    throw err;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new PermanentJobError(
      `${what} from ${urlForMessage(url)} is invalid: ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}
