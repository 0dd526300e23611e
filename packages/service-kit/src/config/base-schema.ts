import { z } from 'zod';

/** A TCP port as env gives it: digits only, so `PORT=abc` or `PORT=` fail instead of coercing to NaN or 0. */
export const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number (0-65535)')
  .transform(Number)
  .refine((n) => n <= 65535, 'must be a port number (0-65535)');

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Variables every service reads; services `.extend()` it (and `.omit()` what they do not use). */
export const baseConfigSchema = z.object({
  SERVICE_NAME: z.string().min(1),
  PORT: portSchema.default(3000),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;
