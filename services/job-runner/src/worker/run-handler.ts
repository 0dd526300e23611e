import { type JobHandler, type JobView, PermanentJobError } from '../handlers/handler.js';
import type { AttemptResult } from '../store/job-leases.js';
import type { JobDocument } from '../store/job-model.js';

/** How long a handler may ignore its AbortSignal before the worker stops waiting for it. */
export const ABORT_GRACE_MS = 5_000;

export function handlerView(job: JobDocument): JobView {
  return {
    id: job._id,
    projectId: job.projectId,
    stage: job.stage,
    kind: job.kind,
    payload: job.payload,
    attempt: job.attempts,
    maxAttempts: job.maxAttempts,
    correlationId: job.correlationId,
  };
}

/** Runs a handler and turns whatever it does (return, throw, hang after abort) into a result. */
export async function runHandler(
  handler: JobHandler | undefined,
  job: JobDocument,
  signal: AbortSignal,
): Promise<AttemptResult> {
  if (!handler)
    return { outcome: 'failed', error: `no handler registered for kind "${job.kind}"`, permanent: true };
  try {
    const result = await untilAbortedTooLong(handler({ job: handlerView(job), signal }), signal);
    return result.outcome === 'success'
      ? { outcome: 'success', result: result.result ?? null }
      : { outcome: 'needs_human', reason: result.reason, result: result.result ?? null };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return {
      outcome: 'failed',
      error: `${failure.name}: ${failure.message}`,
      permanent: failure instanceof PermanentJobError,
    };
  }
}

function untilAbortedTooLong<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(
        () => reject(new Error(`handler ignored abort (${String(signal.reason)}) for ${ABORT_GRACE_MS} ms`)),
        ABORT_GRACE_MS,
      );
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
