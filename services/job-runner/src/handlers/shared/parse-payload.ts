import type { z } from 'zod';
import { PermanentJobError } from '../handler.js';

/** Names each failing path, so whoever enqueued the job can see what to fix without reading zod output. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Validates input a handler does not control. A bad payload will be just as bad on the next
 * attempt, so it fails the job at once instead of burning retries.
 */
export function parseOrFail<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new PermanentJobError(`invalid ${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
