import { z } from 'zod';
import { defineRoute, json, jsonBody } from '../http/route-contract.js';
import { actorSchema, ROLES } from '../identity.js';
import { enqueueJobSchema, jobStatusSchema } from '../jobs.js';
import { stageSchema } from '../stages.js';

/** Operators, and the services that run projects (the pipeline enqueues and resumes). */
const JOB_CHANGERS = [ROLES.admin, ROLES.operator, ROLES.service] as const;

// ── Input ──────────────────────────────────────────────────────────────────────────────────

export const jobIdParams = z.object({ id: z.uuid() });

export const listJobsQuery = z.object({
  projectId: z.string().min(1).optional(),
  stage: stageSchema.optional(),
  kind: z.string().min(1).optional(),
  status: jobStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).optional(),
});

export const resumeJobBody = z.object({
  /** Added input (e.g. a person's decisions); only what the job's kind declares is accepted. */
  input: z.record(z.string(), z.unknown()).default({}),
});

// ── Answers ────────────────────────────────────────────────────────────────────────────────

const timestamp = z.iso.datetime();

/** `interrupted`: stopped by the worker's shutdown; not counted against maxAttempts. */
export const ATTEMPT_OUTCOMES = [
  'success',
  'failed',
  'needs_human',
  'canceled',
  'lease_expired',
  'interrupted',
] as const;

/** One attempt at a job: which worker ran it, when, and how it ended (absent while it runs). */
export const jobAttemptSchema = z.object({
  attempt: z.number().int().min(0),
  workerId: z.string(),
  startedAt: timestamp,
  endedAt: timestamp.optional(),
  outcome: z.enum(ATTEMPT_OUTCOMES).optional(),
  error: z.string().optional(),
});
export type JobAttempt = z.infer<typeof jobAttemptSchema>;

/** A job as lists show it: everything but its payload, result and attempt history. */
export const jobSummarySchema = z.object({
  id: z.string(),
  projectId: z.string(),
  stage: stageSchema,
  kind: z.string(),
  status: jobStatusSchema,
  priority: z.number().int(),
  /** Attempts started so far (a shutdown's interrupted one is given back). */
  attempts: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  /** Retries scheduled over the job's life. */
  retries: z.number().int().min(0),
  /** The last attempt's error; kept while a retry waits. */
  error: z.string().nullable(),
  needsHumanReason: z.string().nullable(),
  /** When the job is (next) due. */
  nextRunAt: timestamp,
  cancelRequested: z.boolean(),
  idempotencyKey: z.string(),
  /** Who enqueued it, as verified; absent on jobs from before it was recorded. */
  enqueuedBy: actorSchema.optional(),
  correlationId: z.string(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  deadLetteredAt: timestamp.nullable(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

/** A job with its payload (secrets as `***`), result and every attempt. */
export const jobViewSchema = jobSummarySchema.extend({
  /** The worker holding the job's lease, and until when (null while no worker holds it). */
  lockedBy: z.string().nullable(),
  leaseExpiresAt: timestamp.nullable(),
  payload: z.record(z.string(), z.unknown()),
  /** What the handler returned on success (null before). */
  result: z.unknown(),
  history: z.array(jobAttemptSchema),
});
export type JobView = z.infer<typeof jobViewSchema>;

/** Newest first; `nextCursor` fetches the page after, null on the last one. */
export const jobListSchema = z.object({
  items: z.array(jobSummarySchema),
  nextCursor: z.string().nullable(),
});

export const jobStatsSchema = z.object({
  /** Jobs per status. */
  byStatus: z.record(z.string(), z.number().int().min(0)),
  /** Jobs per kind, then status. */
  byKind: z.record(z.string(), z.record(z.string(), z.number().int().min(0))),
  /** How long the job that came due first has waited, or null when none waits. */
  oldestQueuedAgeMs: z.number().nullable(),
  retriesScheduled: z.number().int().min(0),
  deadLettered: z.number().int().min(0),
});
export type JobStats = z.infer<typeof jobStatsSchema>;

// ── Routes ─────────────────────────────────────────────────────────────────────────────────

const noJob = { 404: 'no such job' } as const;
const wrongStatus = { 409: "the job's status does not allow it" } as const;

// Keys other than the dead-letter routes' (`list`, `replay`): SERVICE_ROUTES spreads both into one.
export const jobRunnerRoutes = {
  enqueue: defineRoute({
    method: 'POST',
    path: '/jobs',
    summary: 'Enqueues a job; the same idempotency key gives back the job it created first',
    roles: JOB_CHANGERS,
    relation: 'a stage job key (`<project>:<stage>:<generation>`) only from the pipeline',
    body: jsonBody(enqueueJobSchema),
    responses: {
      200: json('the job enqueued before with this idempotency key', jobViewSchema),
      201: json('the new job', jobViewSchema),
      403: 'a stage job key from anyone but the pipeline',
      409: 'the idempotency key was used for a different request',
      422: 'an unknown kind, or a payload the kind cannot run (with its paths)',
    },
  }),
  listJobs: defineRoute({
    method: 'GET',
    path: '/jobs',
    summary: 'Jobs, newest first, filtered by project, stage, kind or status',
    query: listJobsQuery,
    responses: { 200: json('a page of jobs', jobListSchema) },
  }),
  stats: defineRoute({
    method: 'GET',
    path: '/jobs/stats',
    summary: 'Jobs per status and kind, how long the oldest due job has waited, retries and dead letters',
    responses: { 200: json('the counts', jobStatsSchema) },
  }),
  getJob: defineRoute({
    method: 'GET',
    path: '/jobs/:id',
    summary: 'A job with its attempt history',
    params: jobIdParams,
    responses: { 200: json('the job', jobViewSchema), ...noJob },
  }),
  cancel: defineRoute({
    method: 'POST',
    path: '/jobs/:id/cancel',
    summary: 'Cancels a queued or running job',
    roles: JOB_CHANGERS,
    params: jobIdParams,
    responses: {
      200: json('the canceled job', jobViewSchema),
      202: json(
        'the running job, whose worker was asked to stop; it turns CANCELED when it does',
        jobViewSchema,
      ),
      ...noJob,
      ...wrongStatus,
    },
  }),
  retry: defineRoute({
    method: 'POST',
    path: '/jobs/:id/retry',
    summary: 'Queues a failed job again',
    roles: JOB_CHANGERS,
    params: jobIdParams,
    responses: { 200: json('the queued job', jobViewSchema), ...noJob, ...wrongStatus },
  }),
  resume: defineRoute({
    method: 'POST',
    path: '/jobs/:id/resume',
    summary: 'Resumes a job that needs a person, with the input its kind declares',
    roles: JOB_CHANGERS,
    params: jobIdParams,
    body: jsonBody(resumeJobBody, { optional: true }),
    responses: {
      200: json('the queued job', jobViewSchema),
      ...noJob,
      ...wrongStatus,
      422: 'input its kind does not declare (with its paths)',
    },
  }),
} as const;
