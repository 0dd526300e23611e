import { z } from 'zod';

const sha256 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex characters')
  .transform((s) => s.toLowerCase());
const httpUrl = z.url({ protocol: /^https?$/ });

export const uploadedArtifactSchema = z.object({
  name: z.string().min(1),
  contentType: z.string().min(1),
  size: z.number().int().min(0),
  sha256,
  url: httpUrl,
});
export type UploadedArtifact = z.infer<typeof uploadedArtifactSchema>;

export const requiredArtifactSchema = z.object({
  name: z.string().min(1),
  contentType: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  maxSizeBytes: z.number().int().positive(),
  required: z.boolean().default(true),
});
export type RequiredArtifact = z.infer<typeof requiredArtifactSchema>;

export const buildPayloadSchema = z
  .object({
    artifacts: z.array(uploadedArtifactSchema).optional(),
    /** Where pipeline lists the project's uploads, when they are not inlined. */
    artifactsUrl: httpUrl.optional(),
    requiredArtifacts: z.array(requiredArtifactSchema).optional(),
    /** Where template-blueprint serves the blueprint, when its requirements are not inlined. */
    blueprintUrl: httpUrl.optional(),
  })
  .refine((p) => p.artifacts !== undefined || p.artifactsUrl !== undefined, {
    message: 'give artifacts or artifactsUrl',
    path: ['artifacts'],
  })
  .refine((p) => p.requiredArtifacts !== undefined || p.blueprintUrl !== undefined, {
    message: 'give requiredArtifacts or blueprintUrl',
    path: ['requiredArtifacts'],
  });
export type BuildPayload = z.infer<typeof buildPayloadSchema>;

/** Owners may answer with the bare list or wrap it in an object; both are accepted. */
const listOrWrapped = <T extends z.ZodType>(key: string, item: T) =>
  z
    .preprocess((v) => (Array.isArray(v) ? { [key]: v } : v), z.object({ [key]: z.array(item) }))
    .transform((o) => o[key] as z.output<T>[]);

export const fetchedArtifactsSchema = listOrWrapped('artifacts', uploadedArtifactSchema);
/**
 * The blueprint as the template-blueprint service serves it (`GET /api/templates/:id/blueprint`:
 * `{ templateId, templateVersion, runId, blueprint: { requiredArtifacts, ... } }`), the blueprint
 * itself, or the bare list.
 */
export const fetchedBlueprintSchema = z.preprocess(
  (v) => (v && typeof v === 'object' && 'blueprint' in v ? (v as { blueprint: unknown }).blueprint : v),
  listOrWrapped('requiredArtifacts', requiredArtifactSchema),
);
