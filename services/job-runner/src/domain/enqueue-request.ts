import { createHash } from 'node:crypto';
import { canonicalJson, type EnqueueJob } from '@delivery/contracts';

/** What makes two enqueue requests "the same" for one idempotency key. */
export const REQUEST_FIELDS = [
  'projectId',
  'stage',
  'kind',
  'payload',
  'maxAttempts',
  'runAt',
  'priority',
] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

/**
 * A hash of each field of an enqueue request, stored with the job. Fields are hashed as sent, not
 * read back from the job, because the job changes them (resume merges into the payload, retries
 * move nextRunAt). Hashes rather than copies, so no second copy of a payload's secrets is kept.
 */
export type RequestHashes = Record<RequestField, string>;

export function requestHashes(input: EnqueueJob): RequestHashes {
  const values: Record<RequestField, unknown> = {
    projectId: input.projectId,
    stage: input.stage,
    kind: input.kind,
    payload: input.payload,
    maxAttempts: input.maxAttempts,
    // One instant in any offset is one runAt; none means "now", whenever the request came.
    runAt: input.runAt ? new Date(input.runAt).toISOString() : null,
    priority: input.priority,
  };
  return Object.fromEntries(
    REQUEST_FIELDS.map((field) => [
      field,
      createHash('sha256').update(canonicalJson(values[field])).digest('hex'),
    ]),
  ) as RequestHashes;
}

/** The fields in which a repeated request differs from the one that created the job. */
export function differingFields(stored: Partial<RequestHashes>, request: RequestHashes): RequestField[] {
  return REQUEST_FIELDS.filter((field) => stored[field] !== request[field]);
}
