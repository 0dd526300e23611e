import type { JobDocument } from './job-model.js';

/** The job as the API shows it: no outbox, no fencing token. */
export type JobView = Omit<JobDocument, '_id' | 'outbox' | 'leaseToken'> & { id: string };

export function toJobView(document: Omit<JobDocument, 'outbox'> & { outbox?: unknown }): JobView {
  const { _id, outbox: _outbox, leaseToken: _leaseToken, ...rest } = document;
  return { id: _id, ...rest };
}

/** Leaves the outbox out of reads that don't need it; it can hold many pending envelopes. */
export const WITHOUT_OUTBOX = { outbox: 0 } as const;
