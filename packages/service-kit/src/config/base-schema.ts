import { z } from 'zod';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../http/input-limits.js';
import { indexModeSchema } from './mongo-indexes.js';

/** A TCP port as env gives it: digits only, so `PORT=abc` or `PORT=` fail instead of coercing to NaN or 0. */
export const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number (0-65535)')
  .transform(Number)
  .refine((n) => n <= 65535, 'must be a port number (0-65535)');

const atLeastOne = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Variables every service reads; services `.extend()` it (and `.omit()` what they do not use). */
export const baseConfigSchema = z.object({
  SERVICE_NAME: z.string().min(1),
  PORT: portSchema.default(3000),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  /** `build` (default) or `require`: who builds the indexes, each process or `npm run migrate`. */
  MONGO_INDEXES: indexModeSchema,
  AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  HTTP_BODY_MAX_BYTES: atLeastOne(DEFAULT_INPUT_LIMITS.maxBodyBytes),
  HTTP_BODY_MAX_DEPTH: atLeastOne(DEFAULT_INPUT_LIMITS.maxDepth),
  HTTP_BODY_MAX_ARRAY_LENGTH: atLeastOne(DEFAULT_INPUT_LIMITS.maxArrayLength),
  HTTP_BODY_MAX_STRING_LENGTH: atLeastOne(DEFAULT_INPUT_LIMITS.maxStringLength),
  HTTP_BODY_MAX_OBJECT_KEYS: atLeastOne(DEFAULT_INPUT_LIMITS.maxObjectKeys),
  HTTP_QUERY_MAX_PARAMS: atLeastOne(DEFAULT_INPUT_LIMITS.maxQueryParams),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** The port Prometheus exporters conventionally use, where a worker serves its probes and metrics. */
export const DEFAULT_METRICS_PORT = 9464;

/**
 * For a process without an HTTP API (a worker): where it serves /healthz, /readyz and /metrics.
 * API processes serve them on PORT.
 */
export const metricsPortConfigShape = {
  METRICS_PORT: portSchema.default(DEFAULT_METRICS_PORT),
};

type HttpLimitsConfig = Pick<
  BaseConfig,
  | 'HTTP_BODY_MAX_BYTES'
  | 'HTTP_BODY_MAX_DEPTH'
  | 'HTTP_BODY_MAX_ARRAY_LENGTH'
  | 'HTTP_BODY_MAX_STRING_LENGTH'
  | 'HTTP_BODY_MAX_OBJECT_KEYS'
  | 'HTTP_QUERY_MAX_PARAMS'
>;

/** The `limits` of `createHttpApp` from a parsed config. */
export function inputLimits(config: HttpLimitsConfig): InputLimits {
  return {
    maxBodyBytes: config.HTTP_BODY_MAX_BYTES,
    maxDepth: config.HTTP_BODY_MAX_DEPTH,
    maxArrayLength: config.HTTP_BODY_MAX_ARRAY_LENGTH,
    maxStringLength: config.HTTP_BODY_MAX_STRING_LENGTH,
    maxObjectKeys: config.HTTP_BODY_MAX_OBJECT_KEYS,
    maxQueryParams: config.HTTP_QUERY_MAX_PARAMS,
  };
}

/**
 * What a service's migration (`src/migrate.ts`, `npm run migrate`) reads: only where its database
 * is, so the Job needs no broker, keys or peers. Each service extends it with its own
 * SERVICE_NAME and MONGO_DB (the same shape its processes read).
 */
export const migrationConfigSchema = baseConfigSchema.pick({ MONGO_URL: true });
