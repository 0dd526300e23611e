import { hostname } from 'node:os';
import { baseConfigSchema } from '@delivery/service-kit/config';
import { z } from 'zod';

const ms = (fallback: number, min = 10) => z.coerce.number().int().min(min).default(fallback);

const shared = {
  SERVICE_NAME: z.string().min(1).default('job-runner'),
  /** The database this service owns (tests use one per test file). */
  MONGO_DB: z.string().min(1).default('jobs'),
  BACKOFF_BASE_MS: ms(2_000),
  BACKOFF_MAX_MS: ms(10 * 60_000),
};

export const apiConfigSchema = baseConfigSchema.extend({
  ...shared,
  /** How often due jobs are dispatched and expired leases put back. */
  SCHEDULER_INTERVAL_MS: ms(1_000),
  /**
   * A QUEUED job dispatched this long ago and still unclaimed is dispatched again: a safety net
   * for a dispatch message that was lost, long enough not to duplicate ones waiting in a backlog.
   */
  REDISPATCH_AFTER_MS: ms(10 * 60_000, 1_000),
});
export type ApiConfig = z.infer<typeof apiConfigSchema>;

export const workerConfigSchema = baseConfigSchema.omit({ PORT: true }).extend({
  ...shared,
  WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  /** Jobs one worker process runs at once (the dispatch queue's prefetch). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(8),
  /** A worker that stops heartbeating loses its job this long after the last beat. */
  LEASE_MS: ms(30_000, 500),
  /** Also how soon a running job notices it was canceled. */
  HEARTBEAT_MS: ms(5_000, 50),
  /** Where the stage handlers fetch what other services own (artifacts, blueprints). */
  HTTP_EXECUTOR_TIMEOUT_MS: ms(30_000, 100),
  /** Comma-separated hosts (`host` or `host:port`) the `http` kind may call; unset or empty: any. */
  HTTP_EXECUTOR_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((value) => {
      const hosts = (value ?? '')
        .split(',')
        .map((host) => host.trim())
        .filter(Boolean);
      return hosts.length > 0 ? hosts : undefined;
    }),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export const backoffPolicy = (config: Pick<ApiConfig, 'BACKOFF_BASE_MS' | 'BACKOFF_MAX_MS'>) => ({
  baseMs: config.BACKOFF_BASE_MS,
  maxMs: config.BACKOFF_MAX_MS,
  factor: 2,
  jitter: 0.5,
});
