import { inSpan, PROJECT_ID_ATTRIBUTE } from '@delivery/messaging';
import type { InFlightLeases, Logger } from '@delivery/service-kit';
import type { JobHandler } from '../handlers/handler.js';
import { timeJobAttempt } from '../job-metrics.js';
import type { AttemptResult, ClaimedJob, JobLeases } from '../store/job-leases.js';
import type { AttemptOutcome } from '../store/job-model.js';
import { attemptWrite } from './attempt-write.js';
import { boundResult } from './bound-result.js';
import { JobStoppedError, type StopReason } from './job-stopped.js';
import { keepLease } from './keep-lease.js';
import { type HandlerRun, runHandler } from './run-handler.js';
import { isDocumentRefused } from './store-refusal.js';

export interface WorkerSettings {
  workerId: string;
  leaseMs: number;
  heartbeatMs: number;
  clockSkewAllowanceMs: number;
  maxResultBytes: number;
}

export interface WorkerDeps extends WorkerSettings {
  leases: JobLeases;
  handlers: Readonly<Record<string, JobHandler>>;
  running: InFlightLeases;
  logger: Logger;
}

/**
 * Handles one dispatch message: claim the job (or quietly skip it if someone else has it), run
 * its handler while heartbeating, then record the outcome, fenced by the lease token.
 */
export async function processDispatch(jobId: string, deps: WorkerDeps): Promise<void> {
  if (!deps.running.accepting) {
    await deps.leases.handBack(jobId);
    deps.logger.info({ jobId }, 'worker shutting down; dispatch handed back to the scheduler');
    return;
  }
  const attempt = await deps.leases.claim(jobId, deps.workerId, deps.leaseMs, deps.clockSkewAllowanceMs);
  if (attempt.status === 'not-due')
    deps.logger.info(
      { jobId, dueInMs: attempt.dueInMs },
      'job not due yet by this worker clock; handed back to the scheduler',
    );
  if (attempt.status !== 'claimed') return;
  const { claim } = attempt;
  const log = deps.logger.child({ jobId, kind: claim.job.kind, attempt: claim.job.attempts });
  const controller = new AbortController();
  let stoppedFor: StopReason | undefined;
  const stop = (reason: StopReason, message: string) => {
    if (stoppedFor) return;
    stoppedFor = reason;
    log.warn({ reason }, `stopping handler: ${message}`);
    controller.abort(new JobStoppedError(reason, message));
  };
  const lease = keepLease(claim, deps, stop);
  const untrack = deps.running.track(() => stop('shutdown', 'worker shutting down'));
  const timed = timeJobAttempt(claim.job.kind);
  try {
    const run = await inSpan(
      `job.run ${claim.job.kind}`,
      {
        [PROJECT_ID_ATTRIBUTE]: claim.job.projectId,
        'delivery.job.id': claim.job._id,
        'delivery.job.attempt': String(claim.job.attempts),
      },
      () => runHandler(deps.handlers[claim.job.kind], claim.job, controller.signal),
    );
    lease.stop();
    timed(outcomeOf(run, stoppedFor));
    const result = boundResult(run.result, deps.maxResultBytes);
    await settle(claim, { ...run, result }, stoppedFor, deps.leases, log);
  } finally {
    lease.stop();
    untrack();
  }
}

/** How an attempt ended, for its metric: a failure after a stop is the stop's doing. */
function outcomeOf(run: HandlerRun, stoppedFor: StopReason | undefined): AttemptOutcome {
  if (!stoppedFor || run.result.outcome !== 'failed') return run.result.outcome;
  if (stoppedFor === 'cancel-requested') return 'canceled';
  if (stoppedFor === 'shutdown') return 'interrupted';
  return 'lease_expired';
}

/**
 * Writes how the attempt ended. Never throws: a write that fails leaves the job RUNNING only
 * until its lease expires, when the scheduler puts it back.
 */
async function settle(
  claim: ClaimedJob,
  run: HandlerRun,
  stoppedFor: StopReason | undefined,
  leases: JobLeases,
  log: Logger,
): Promise<void> {
  try {
    const write = attemptWrite(run, stoppedFor);
    if (write === 'nothing') {
      log.warn(
        { settled: run.settled },
        'job given up without an outcome; it goes back when its lease expires',
      );
      return;
    }
    const recorded =
      write === 'interrupt'
        ? await leases.interrupt(claim)
        : await recordOrFail(claim, run.result, leases, log);
    if (recorded === 'lease-lost') log.warn('lease was lost while running; result discarded (fenced)');
  } catch (error) {
    log.error({ err: error }, 'could not write the outcome; the job goes back when its lease expires');
  }
}

/**
 * An outcome the store refuses must not leave the job RUNNING: the attempt fails instead, for
 * good when the store refused the document itself (the handler would produce it again).
 */
async function recordOrFail(claim: ClaimedJob, result: AttemptResult, leases: JobLeases, log: Logger) {
  try {
    return await leases.record(claim, result);
  } catch (error) {
    log.error({ err: error }, 'could not store the outcome; failing the attempt instead');
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return leases.record(claim, {
      outcome: 'failed',
      error: `could not store the outcome: ${reason}`.slice(0, 2_000),
      permanent: isDocumentRefused(error),
    });
  }
}
