import { z } from 'zod';
import { defineCommand, defineEvent } from './define-message.js';
import { actorSchema } from './identity.js';
import { JOB_STATUSES } from './job-statuses.js';
import { stageSchema } from './stages.js';

export { JOB_STATUSES, type JobStatus } from './job-statuses.js';

export const jobStatusSchema = z.enum(JOB_STATUSES);

/**
 * Job kinds with a registered handler. The stage kinds do a stage's automated work; `http`
 * delegates to a team's own executor; `noop` does nothing and exists for smoke tests and
 * benchmarks of the queue itself.
 */
export const JOB_KINDS = ['build', 'test', 'defect_validation', 'http', 'noop'] as const;
export const jobKindSchema = z.string().min(1).max(64);
export type JobKind = (typeof JOB_KINDS)[number];

export const enqueueJobSchema = z.object({
  projectId: z.string().min(1).max(200),
  stage: stageSchema,
  kind: jobKindSchema,
  /** Checked by the job-runner against the kind's own schema (422 naming the paths). Secrets in it are write-only. */
  payload: z.record(z.string(), z.unknown()).default({}),
  /** Bound to the first request that used it: the same request again gets that job, another one a 409. */
  idempotencyKey: z.string().min(1).max(300),
  maxAttempts: z.number().int().min(1).max(100).default(5),
  runAt: z.iso.datetime({ offset: true }).optional(),
  /** Higher runs first among jobs due at the same time. */
  priority: z.number().int().min(-100).max(100).default(0),
});
export type EnqueueJob = z.infer<typeof enqueueJobSchema>;

export const enqueueJobCommand = defineCommand({
  queue: 'job-runner.enqueue',
  version: 1,
  payload: enqueueJobSchema,
});

const jobRef = z.object({
  jobId: z.string(),
  /** The key it was enqueued with: tells its requester which of its requests this job is. */
  idempotencyKey: z.string(),
  projectId: z.string(),
  stage: stageSchema,
  kind: z.string(),
  attempt: z.number().int().min(0),
  /**
   * Who enqueued the job, as the job-runner verified it: the caller of `POST /jobs`, or the
   * pipeline for a `job-runner.enqueue` command. Absent on jobs enqueued before it was recorded.
   */
  enqueuedBy: actorSchema.optional(),
});

const jobEvent = <S extends z.ZodRawShape>(event: string, extra: S) =>
  defineEvent({ service: 'jobs', entity: 'job', event, version: 1, payload: jobRef.extend(extra) });

export const jobEvents = {
  queued: jobEvent('queued', { runAt: z.string() }),
  started: jobEvent('started', { workerId: z.string() }),
  succeeded: jobEvent('succeeded', { result: z.unknown() }),
  failed: jobEvent('failed', { error: z.string(), deadLettered: z.boolean() }),
  needsHuman: jobEvent('needs_human', { reason: z.string() }),
  canceled: jobEvent('canceled', { previousStatus: jobStatusSchema }),
  retryScheduled: jobEvent('retry_scheduled', { error: z.string(), nextRunAt: z.string() }),
};

/** Why the job-runner refused an enqueue command. */
export const ENQUEUE_REFUSAL_CODES = [
  /** An unknown kind, or a payload its kind cannot run. */
  'invalid_request',
  /** The idempotency key belongs to a job enqueued with another request. */
  'key_conflict',
  /** The command is past the bounds every enqueue is held to (items per array, depth, sizes, keys). */
  'limits_exceeded',
] as const;
export const enqueueRefusalCodeSchema = z.enum(ENQUEUE_REFUSAL_CODES);
export type EnqueueRefusalCode = z.infer<typeof enqueueRefusalCodeSchema>;

/**
 * An enqueue command that can never succeed: no job was created for it, and none will be. Its
 * sender learns it here (the command itself is dead-lettered too, for operators). A command too
 * malformed to name its job is only dead-lettered.
 */
export const jobEnqueueRefused = defineEvent({
  service: 'jobs',
  entity: 'enqueue',
  event: 'refused',
  version: 1,
  payload: z.object({
    /** The refused command's envelope id. */
    commandId: z.string(),
    projectId: z.string(),
    stage: stageSchema,
    kind: z.string(),
    idempotencyKey: z.string(),
    code: enqueueRefusalCodeSchema,
    reason: z.string(),
  }),
});
