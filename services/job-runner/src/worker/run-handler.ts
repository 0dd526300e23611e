import { type JobHandler, type JobView, PermanentJobError } from '../handlers/handler.js';
import type { AttemptResult } from '../store/job-leases.js';
import type { JobDocument } from '../store/job-model.js';
import { JobStoppedError } from './job-stopped.js';

/** How long a handler may ignore its AbortSignal before the worker stops waiting for it. */
export const ABORT_GRACE_MS = 5_000;

/** What came of running a handler. */
export interface HandlerRun {
  result: AttemptResult;
  /**
   * False when the handler ignored its abort for ABORT_GRACE_MS and the worker stopped waiting:
   * it may still be running, so nothing may be written that hands its job to another worker.
   */
  settled: boolean;
}

class AbortIgnoredError extends Error {
  override readonly name = 'AbortIgnoredError';
}

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
): Promise<HandlerRun> {
  if (!handler)
    return {
      result: { outcome: 'failed', error: `no handler registered for kind "${job.kind}"`, permanent: true },
      settled: true,
    };
  try {
    const result = await untilAbortedTooLong(handler({ job: handlerView(job), signal }), signal);
    return {
      result:
        result.outcome === 'success'
          ? { outcome: 'success', result: result.result ?? null }
          : { outcome: 'needs_human', reason: result.reason, result: result.result ?? null },
      settled: true,
    };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return {
      result: {
        outcome: 'failed',
        error: `${failure.name}: ${failure.message}`,
        permanent: failure instanceof PermanentJobError,
      },
      settled: !(failure instanceof AbortIgnoredError),
    };
  }
}

/**
 * A shutdown waits for its handler as long as the process lives: its job goes back to the queue
 * only once the handler has really stopped, and one that never does keeps the job's lease (and
 * heartbeats) until the process exits. Other stops stop waiting after ABORT_GRACE_MS.
 */
const waitsOutTheHandler = (signal: AbortSignal) =>
  signal.reason instanceof JobStoppedError && signal.reason.reason === 'shutdown';

function untilAbortedTooLong<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (waitsOutTheHandler(signal)) return;
      timer = setTimeout(
        () =>
          reject(
            new AbortIgnoredError(
              `handler ignored abort (${String(signal.reason)}) for ${ABORT_GRACE_MS} ms`,
            ),
          ),
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
