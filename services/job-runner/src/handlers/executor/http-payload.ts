import { z } from 'zod';

/** Largest timeoutMs a payload may ask for unless the handler is configured otherwise. */
export const DEFAULT_MAX_TIMEOUT_MS = 300_000;

export const httpPayloadSchemaFor = (maxTimeoutMs: number) =>
  z
    .object({
      url: z.url({ protocol: /^https?$/ }),
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
      body: z.unknown().optional(),
      headers: z.record(z.string(), z.string()).default({}),
      timeoutMs: z.number().int().positive().max(maxTimeoutMs).optional(),
    })
    .refine((p) => !(p.method === 'GET' && p.body !== undefined), {
      message: 'a GET request cannot have a body',
      path: ['body'],
    });

/** What enqueue accepts for `http`; the handler parses with the same shape. */
export const httpPayloadSchema = httpPayloadSchemaFor(DEFAULT_MAX_TIMEOUT_MS);
