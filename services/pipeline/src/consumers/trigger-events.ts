import {
  blueprintRunEvents,
  type Envelope,
  hitlEvents,
  isStageJobOwner,
  jobEnqueueRefused,
  jobEvents,
  parseStageJobKey,
  STAGE_JOB_KINDS,
  type Stage,
} from '@delivery/contracts';
import type { JobTrigger, Trigger } from '../domain/triggers.js';

/** Told why an event that looked like a stage's was not taken as one (for the log). */
export type Ignored = (why: string) => void;

type Payload<D extends { parse(raw: unknown): Envelope }> = ReturnType<D['parse']>['payload'];

/**
 * The trigger an event is for a project, or undefined when it is not about a project stage the
 * pipeline started (a job someone enqueued by hand, a blueprint run: handled apart). A job event
 * under a stage's key that the pipeline did not enqueue, or of another kind than the stage runs,
 * is no trigger either, and `ignored` is told why.
 */
export function triggerOf(
  event: Envelope,
  ignored: Ignored = () => undefined,
): { projectId: string; trigger: Trigger } | undefined {
  if (event.type.startsWith('jobs.')) return jobTrigger(event, ignored);
  const payload = event.payload as Payload<typeof hitlEvents.granted> & { approvalId: string | null };
  const gate = { stage: payload.stage, generation: payload.generation, point: payload.point };
  switch (event.type) {
    case hitlEvents.gatePassed.routingKey:
      return {
        projectId: payload.projectId,
        trigger: { type: 'gate_passed', ...gate, approvalId: payload.approvalId },
      };
    case hitlEvents.requested.routingKey:
      return {
        projectId: payload.projectId,
        trigger: { type: 'approval_requested', ...gate, approvalId: payload.approvalId as string },
      };
    case hitlEvents.granted.routingKey:
      return {
        projectId: payload.projectId,
        trigger: {
          type: 'approval_granted',
          ...gate,
          approvalId: payload.approvalId as string,
          approvers: payload.approvers ?? [],
        },
      };
    case hitlEvents.expired.routingKey:
      return {
        projectId: payload.projectId,
        trigger: { type: 'approval_expired', ...gate, approvalId: payload.approvalId as string },
      };
    case hitlEvents.sentBack.routingKey: {
      const sent = event.payload as Payload<typeof hitlEvents.sentBack>;
      return {
        projectId: sent.projectId,
        trigger: {
          type: 'approval_sent_back',
          ...gate,
          approvalId: sent.approvalId,
          by: sent.by,
          comment: sent.comment,
        },
      };
    }
    default:
      return undefined;
  }
}

function jobTrigger(event: Envelope, ignored: Ignored): { projectId: string; trigger: Trigger } | undefined {
  if (event.type === jobEnqueueRefused.routingKey) {
    const refused = event.payload as Payload<typeof jobEnqueueRefused>;
    const run = stageRun(refused, ignored, `the refused enqueue of kind "${refused.kind}"`);
    if (!run) return undefined;
    const { code, reason } = refused;
    return { projectId: refused.projectId, trigger: { type: 'job_refused', ...run, code, reason } };
  }
  const payload = event.payload as Payload<typeof jobEvents.started>;
  const job = `job ${payload.jobId}`;
  const run = stageRun(payload, ignored, `${job} of kind "${payload.kind}"`);
  if (!run) return undefined;
  if (!isStageJobOwner(payload.enqueuedBy)) {
    const by = payload.enqueuedBy ? `${payload.enqueuedBy.kind} ${payload.enqueuedBy.id}` : 'nobody recorded';
    ignored(`${job} under the key ${payload.idempotencyKey} was not enqueued by the pipeline (by ${by})`);
    return undefined;
  }
  const trigger = jobEventTrigger(event, { ...run, jobId: payload.jobId, attempt: payload.attempt });
  return trigger && { projectId: payload.projectId, trigger };
}

/**
 * The stage generation a job (or refused enqueue) is the work of: its key must be one the
 * pipeline writes for its project, and its kind the one that stage runs.
 */
function stageRun(
  job: { idempotencyKey: string; projectId: string; kind: string },
  ignored: Ignored,
  what: string,
): { stage: Stage; generation: number } | undefined {
  const run = parseStageJobKey(job.idempotencyKey, job.projectId);
  if (!run) return undefined;
  const kind = STAGE_JOB_KINDS[run.stage];
  if (job.kind === kind) return run;
  ignored(
    kind === undefined
      ? `${what} is no stage job: ${run.stage} runs no job`
      : `${what} is no stage job: ${run.stage} runs "${kind}"`,
  );
  return undefined;
}

type JobRun = { stage: Stage; generation: number; jobId: string; attempt: number };

function jobEventTrigger(event: Envelope, ref: JobRun): JobTrigger | undefined {
  switch (event.type) {
    case jobEvents.queued.routingKey:
      return { type: 'job_queued', ...ref };
    case jobEvents.started.routingKey:
      return { type: 'job_started', ...ref };
    case jobEvents.succeeded.routingKey:
      return {
        type: 'job_succeeded',
        ...ref,
        result: (event.payload as Payload<typeof jobEvents.succeeded>).result,
      };
    case jobEvents.failed.routingKey:
      return {
        type: 'job_failed',
        ...ref,
        error: (event.payload as Payload<typeof jobEvents.failed>).error,
        final: true,
      };
    case jobEvents.needsHuman.routingKey:
      return {
        type: 'job_needs_human',
        ...ref,
        reason: (event.payload as Payload<typeof jobEvents.needsHuman>).reason,
      };
    case jobEvents.canceled.routingKey:
      return { type: 'job_canceled', ...ref };
    case jobEvents.retryScheduled.routingKey: {
      const retry = event.payload as Payload<typeof jobEvents.retryScheduled>;
      return { type: 'job_retry_scheduled', ...ref, error: retry.error, nextRunAt: retry.nextRunAt };
    }
    default:
      return undefined;
  }
}

export const isBlueprintSucceeded = (event: Envelope) =>
  event.type === blueprintRunEvents.succeeded.routingKey;
