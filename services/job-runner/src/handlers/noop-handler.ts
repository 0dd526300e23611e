import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { JobHandler } from './handler.js';
import { redactSecrets } from './secrets.js';
import { parseOrFail } from './shared/parse-payload.js';

export const noopPayload = z.looseObject({
  /** Optional pause, so smoke tests can watch a job while it runs (cancel, worker crash). */
  sleepMs: z
    .number()
    .int()
    .min(0)
    .max(10 * 60_000)
    .optional(),
});

/** `noop`: does nothing but echo its payload (secrets redacted); the queue's own tests and benchmarks run on it. */
export function createNoopHandler(): JobHandler {
  return async ({ job, signal }) => {
    const { sleepMs } = parseOrFail(noopPayload, job.payload, 'noop payload');
    if (sleepMs) await sleep(sleepMs, undefined, { signal });
    // Results travel in events and API reads, so the echo leaves credentials out.
    return { outcome: 'success', result: { echoed: redactSecrets(job.payload) } };
  };
}
