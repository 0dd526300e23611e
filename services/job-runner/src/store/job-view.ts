import { redactedPayload } from '../domain/kind-rules.js';
import type { JobKinds } from '../handlers/handler.js';
import type { JobDocument } from './job-model.js';

/** The job as the API shows it: no outbox, no fencing token, no request hashes; secrets as "***". */
export type JobView = Omit<JobDocument, '_id' | 'outbox' | 'leaseToken' | 'requestHashes'> & { id: string };

export function toJobView(
  document: Omit<JobDocument, 'outbox'> & { outbox?: unknown },
  kinds: JobKinds,
): JobView {
  const { _id, outbox: _outbox, leaseToken: _leaseToken, requestHashes: _hashes, ...rest } = document;
  const view = { id: _id, ...rest };
  // List reads leave the payload out altogether.
  if (rest.payload !== undefined) view.payload = redactedPayload(kinds, rest.kind, rest.payload);
  return view;
}
