import { hostname } from 'node:os';
import {
  baseConfigSchema,
  heartbeatWithinLease,
  identityConfigCheck,
  identityConfigShape,
  metricsPortConfigShape,
  migrationConfigSchema,
  retentionDays,
  retentionSweepInterval,
  signingKeyCheck,
  signingKeyConfigShape,
} from '@delivery/service-kit/config';
import { egressConfigShape } from '@delivery/service-kit/egress';
import { z } from 'zod';
import { platformServicesSchema } from './handlers/shared/platform-services.js';

/** Who this service is to the others: its audience, and the issuer of its own service tokens. */
export const IDENTITY = 'job-runner';

const ms = (fallback: number, min = 10) => z.coerce.number().int().min(min).default(fallback);

/** The database this service owns (tests use one per test file): both processes and the migration read it. */
const database = {
  SERVICE_NAME: z.string().min(1).default('job-runner'),
  MONGO_DB: z.string().min(1).default('jobs'),
};

const shared = {
  ...database,
  BACKOFF_BASE_MS: ms(2_000),
  BACKOFF_MAX_MS: ms(10 * 60_000),
  /**
   * How far the clocks of the API and worker processes may disagree. A worker claims a job due
   * within this much by its own clock (a job due later goes back to the scheduler), and the
   * scheduler puts a job back only this long after its lease ran out by the scheduler's clock.
   */
  CLOCK_SKEW_ALLOWANCE_MS: ms(5_000, 0),
};

export const apiConfigSchema = baseConfigSchema
  .extend({
    ...shared,
    ...identityConfigShape(IDENTITY),
    /** How often due jobs are dispatched and expired leases put back. */
    SCHEDULER_INTERVAL_MS: ms(1_000),
    /**
     * A QUEUED job dispatched this long ago and still unclaimed is dispatched again: a safety net
     * for a dispatch message that was lost, long enough not to duplicate ones waiting in a backlog.
     */
    REDISPATCH_AFTER_MS: ms(10 * 60_000, 1_000),
    /** Days a finished job (SUCCESS, FAILED, CANCELED) is kept after it finished; 0 keeps jobs forever. */
    JOB_RETENTION_DAYS: retentionDays(90),
    /** How often finished jobs past their retention are removed. */
    RETENTION_SWEEP_INTERVAL_MS: retentionSweepInterval(),
  })
  .superRefine(identityConfigCheck);
export type ApiConfig = z.infer<typeof apiConfigSchema>;

export const workerConfigSchema = baseConfigSchema
  .omit({ PORT: true })
  .extend({
    ...shared,
    ...metricsPortConfigShape,
    WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
    /** Jobs one worker process runs at once (the dispatch queue's prefetch). */
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(8),
    /** A worker that stops heartbeating loses its job this long after the last beat. */
    LEASE_MS: ms(30_000, 500),
    /** Also how soon a running job notices it was canceled. Must be shorter than LEASE_MS. */
    HEARTBEAT_MS: ms(5_000, 50),
    /**
     * On SIGTERM, running jobs get this long to finish; the rest are aborted and put back QUEUED
     * without counting the attempt. Leaves room for that inside the process's 40 s shutdown bound.
     */
    WORKER_DRAIN_MS: z.coerce.number().int().min(0).max(25_000).default(20_000),
    /** Largest handler result stored (measured as JSON); a bigger one fails the job for good. */
    MAX_RESULT_BYTES: z.coerce
      .number()
      .int()
      .min(1_024)
      .max(4 * 1024 * 1024)
      .default(256 * 1024),
    /** Where the stage handlers fetch what other services own (artifacts, blueprints). */
    HTTP_EXECUTOR_TIMEOUT_MS: ms(30_000, 100),
    /** Dropped: it allowed any host when unset. Refused, so a deployment still setting it learns why. */
    HTTP_EXECUTOR_ALLOWED_HOSTS: z
      .string()
      .optional()
      .refine(
        (value) => value === undefined,
        'was replaced by EGRESS_ALLOWED_HOSTS, which covers every fetch of the workers; rename it',
      ),
    ...egressConfigShape,
    /**
     * The platform services jobs read from, as `name=baseUrl` entries, comma-separated
     * (`template-blueprint=http://template-blueprint:4002`): their host:port is allowed without
     * being listed in EGRESS_ALLOWED_HOSTS, and reads from them carry a token for `name`.
     */
    PLATFORM_SERVICE_URLS: platformServicesSchema,
    /** Signs those tokens: job-runner's own private key. Required when PLATFORM_SERVICE_URLS is set. */
    ...signingKeyConfigShape(IDENTITY),
  })
  .refine(heartbeatWithinLease.check, heartbeatWithinLease.issue)
  .superRefine(
    signingKeyCheck(
      (config) =>
        Array.isArray(config.PLATFORM_SERVICE_URLS) &&
        config.PLATFORM_SERVICE_URLS.length > 0 &&
        'reads from PLATFORM_SERVICE_URLS carry a token it signs',
    ),
  );
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export const backoffPolicy = (config: Pick<ApiConfig, 'BACKOFF_BASE_MS' | 'BACKOFF_MAX_MS'>) => ({
  baseMs: config.BACKOFF_BASE_MS,
  maxMs: config.BACKOFF_MAX_MS,
  factor: 2,
  jitter: 0.5,
});

/** What `npm run migrate` (src/migrate.ts) reads: where the database is, and which it is. */
export const migrateConfigSchema = migrationConfigSchema.extend(database);
