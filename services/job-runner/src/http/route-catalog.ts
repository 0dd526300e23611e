import { enqueueJobSchema, jsonBody, ROLES, type RouteSpec } from '@delivery/contracts';
import { deadLetterRouteSpecs } from '@delivery/service-kit';
import { jobIdParams, listJobsQuery, resumeJobBody } from './job-schemas.js';

/** Operators, and the services that run projects (the pipeline enqueues and resumes). */
const JOB_CHANGERS = [ROLES.admin, ROLES.operator, ROLES.service];

const noJob = { 404: 'no such job' };
const wrongStatus = { 409: "the job's status does not allow it" };

/** Every route the job runner serves but the probes, with the schemas each parses its input with. */
export const jobRunnerRouteCatalog: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/jobs',
    summary: 'Enqueues a job; the same idempotency key gives back the job it created first',
    roles: JOB_CHANGERS,
    body: jsonBody(enqueueJobSchema),
    responses: {
      200: 'the job enqueued before with this idempotency key',
      201: 'the new job',
      403: 'a stage job key (`<project>:<stage>:<generation>`) from anyone but the pipeline',
      409: 'the idempotency key was used for a different request',
      422: 'an unknown kind, or a payload the kind cannot run (with its paths)',
    },
  },
  {
    method: 'GET',
    path: '/jobs',
    summary: 'Jobs, newest first, filtered by project, stage, kind or status',
    query: listJobsQuery,
    responses: { 200: '`{ items, nextCursor }`' },
  },
  {
    method: 'GET',
    path: '/jobs/stats',
    summary: 'Jobs per status and kind, how long the oldest due job has waited, retries and dead letters',
    responses: { 200: 'the counts' },
  },
  {
    method: 'GET',
    path: '/jobs/:id',
    summary: 'A job with its attempt history',
    params: jobIdParams,
    responses: { 200: 'the job', ...noJob },
  },
  {
    method: 'POST',
    path: '/jobs/:id/cancel',
    summary: 'Cancels a queued or running job',
    roles: JOB_CHANGERS,
    params: jobIdParams,
    responses: {
      200: 'the canceled job',
      202: 'the running job, whose worker was asked to stop; it turns CANCELED when it does',
      ...noJob,
      ...wrongStatus,
    },
  },
  {
    method: 'POST',
    path: '/jobs/:id/retry',
    summary: 'Queues a failed job again',
    roles: JOB_CHANGERS,
    params: jobIdParams,
    responses: { 200: 'the queued job', ...noJob, ...wrongStatus },
  },
  {
    method: 'POST',
    path: '/jobs/:id/resume',
    summary: 'Resumes a job that needs a person, with the input its kind declares',
    roles: JOB_CHANGERS,
    params: jobIdParams,
    body: jsonBody(resumeJobBody, { optional: true }),
    responses: {
      200: 'the queued job',
      ...noJob,
      ...wrongStatus,
      422: 'input its kind does not declare (with its paths)',
    },
  },
  ...deadLetterRouteSpecs,
];
