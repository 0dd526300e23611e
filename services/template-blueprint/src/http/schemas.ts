import { z } from 'zod';
import { GENERATOR_NAMES } from '../generators/generator.js';

export const templateIdParams = z.object({ id: z.uuid() });
export const runIdParams = z.object({ runId: z.uuid() });
export const versionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1) });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: z.string().min(1).optional(),
});

export const listTemplatesQuery = pageQuery.extend({ search: z.string().trim().min(1).max(200).optional() });

const booleanish = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/** Generate request: body and query both accepted, because old clients sent `?force=true`. */
export const generateRequest = z.object({
  generator: z.enum(GENERATOR_NAMES).default('rules'),
  force: booleanish.default(false),
});

export const blueprintQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
