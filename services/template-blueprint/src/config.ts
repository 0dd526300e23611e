import { hostname } from 'node:os';
import {
  baseConfigSchema,
  heartbeatWithinLease,
  identityConfigCheck,
  identityConfigShape,
  metricsPortConfigShape,
  migrationConfigSchema,
} from '@delivery/service-kit/config';
import { egressConfigShape } from '@delivery/service-kit/egress';
import { z } from 'zod';

const ms = (fallback: number, min = 10) => z.coerce.number().int().min(min).default(fallback);

/** The database this service owns (tests use one per test file): both processes and the migration read it. */
const database = {
  SERVICE_NAME: z.string().min(1).default('template-blueprint'),
  MONGO_DB: z.string().min(1).default('blueprints'),
};

const shared = {
  ...database,
  /**
   * How far the clocks of the API and the workers may disagree. A worker claims a run due
   * within this much by its clock (one due later is handed back to the sweeper); the sweeper
   * takes a lease as expired only this much after its expiry time, which the worker's clock set.
   */
  CLOCK_SKEW_ALLOWANCE_MS: ms(5_000, 0),
};

/**
 * The `llm` generator exists only when LLM_BASE_URL is set (an OpenAI-compatible API root, e.g.
 * https://api.example.com/v1); `rules` is always there and the default.
 */
const llm = {
  LLM_BASE_URL: z.url().optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: ms(60_000, 100),
  LLM_BREAKER_RESET_MS: ms(30_000, 100),
};

export const apiConfigSchema = baseConfigSchema
  .extend({
    ...shared,
    ...identityConfigShape('template-blueprint'),
    LLM_BASE_URL: llm.LLM_BASE_URL,
    /** How often the sweeper re-dispatches due runs and recovers runs whose worker vanished. */
    SWEEP_INTERVAL_MS: ms(1_000),
    REDISPATCH_AFTER_MS: ms(10 * 60_000, 1_000),
    MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  })
  .superRefine(identityConfigCheck);
export type ApiConfig = z.infer<typeof apiConfigSchema>;

export const workerConfigSchema = baseConfigSchema
  .omit({ PORT: true })
  .extend({
    ...shared,
    ...metricsPortConfigShape,
    ...llm,
    /** The LLM endpoint's address must be public unless EGRESS_ALLOW_PRIVATE allows it; answers are capped. */
    ...egressConfigShape,
    WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
    LEASE_MS: ms(30_000, 500),
    HEARTBEAT_MS: ms(10_000, 50),
    /**
     * On SIGTERM, running generations get this long to finish; the rest are aborted and put back
     * queued without counting the attempt. Leaves room for that inside the 40 s shutdown bound.
     */
    WORKER_DRAIN_MS: z.coerce.number().int().min(0).max(25_000).default(20_000),
    RETRY_BASE_MS: ms(5_000),
    RETRY_MAX_MS: ms(5 * 60_000),
    /** A run whose generator is unavailable (breaker open) waits this long before trying again. */
    DEFER_MS: ms(30_000),
    MAX_DEFERRALS: z.coerce.number().int().min(0).default(120),
  })
  .refine(heartbeatWithinLease.check, heartbeatWithinLease.issue);
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

/** What `npm run migrate` (src/migrate.ts) reads: where the database is, and which it is. */
export const migrateConfigSchema = migrationConfigSchema.extend(database);
