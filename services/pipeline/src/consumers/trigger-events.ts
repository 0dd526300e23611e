import {
  blueprintRunEvents,
  type Envelope,
  hitlEvents,
  jobEvents,
  STAGES,
  type Stage,
} from '@delivery/contracts';
import type { Trigger } from '../domain/triggers.js';

/** Which stage generation a job is: its idempotency key is `project:stage:generation`. */
export function jobGeneration(
  idempotencyKey: string,
  projectId: string,
): { stage: Stage; generation: number } | undefined {
  const prefix = `${projectId}:`;
  if (!idempotencyKey.startsWith(prefix)) return undefined;
  const [stage, generation, ...rest] = idempotencyKey.slice(prefix.length).split(':');
  const number = Number(generation);
  if (rest.length > 0 || !STAGES.includes(stage as Stage) || !Number.isInteger(number) || number < 1)
    return undefined;
  return { stage: stage as Stage, generation: number };
}

type Payload<D extends { parse(raw: unknown): Envelope }> = ReturnType<D['parse']>['payload'];

/**
 * The trigger an event is for a project, or undefined when it is not about a project stage the
 * pipeline started (a job someone enqueued by hand, a blueprint run: handled apart).
 */
export function triggerOf(event: Envelope): { projectId: string; trigger: Trigger } | undefined {
  const job = jobTrigger(event);
  if (job) return job;
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
        trigger: { type: 'approval_granted', ...gate, approvalId: payload.approvalId as string },
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

function jobTrigger(event: Envelope): { projectId: string; trigger: Trigger } | undefined {
  if (!event.type.startsWith('jobs.job.')) return undefined;
  const payload = event.payload as Payload<typeof jobEvents.started>;
  const run = jobGeneration(payload.idempotencyKey, payload.projectId);
  if (!run) return undefined;
  const ref = { ...run, jobId: payload.jobId, attempt: payload.attempt };
  const trigger = ((): Trigger | undefined => {
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
  })();
  return trigger && { projectId: payload.projectId, trigger };
}

export const isBlueprintSucceeded = (event: Envelope) =>
  event.type === blueprintRunEvents.succeeded.routingKey;
