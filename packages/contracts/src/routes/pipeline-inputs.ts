import { z } from 'zod';
import { stageSchema } from '../stages.js';

/** What the pipeline's routes parse their input with: a client builds its requests from these. */

const id = z.string().min(1).max(200);
const text = (max: number) => z.string().trim().min(1).max(max);

export const createProjectBody = z.strictObject({
  name: text(200),
  client: text(200),
  templateId: id,
  /** Only an admin may name someone else; a delivery manager's projects are their own. */
  deliveryManagerId: id.nullable().default(null),
  requireManualReview: z.boolean().default(false),
});

export const listProjectsQuery = z.object({
  stage: stageSchema.optional(),
  status: z.enum(['active', 'completed', 'archived']).optional(),
  client: id.optional(),
  deliveryManagerId: id.optional(),
  search: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  /** The `nextCursor` of the page before, as it was answered (the service decodes it). */
  cursor: z.string().min(1).max(500).optional(),
});

export const confirmSaleBody = z.strictObject({ note: z.string().trim().max(2_000).optional() });

export const onboardingBody = z.strictObject({
  /** Answers by field key; null clears one. Checked against the template's fields. */
  answers: z.record(z.string().min(1).max(100), z.unknown()),
});

export const assignmentBody = z.strictObject({
  assignees: z
    .array(z.strictObject({ id, name: text(200) }))
    .min(1)
    .max(20),
});

export const resumeBody = z.strictObject({
  /** For a stage whose job needs a person: the input it resumes with (e.g. defect decisions). */
  input: z.record(z.string(), z.unknown()).optional(),
});

/** A decision per defect, by its fingerprint; several saves add up until every defect is decided. */
export const defectDecisionsBody = z.strictObject({
  decisions: z
    .record(z.string().min(1).max(200), z.enum(['confirmed', 'rejected']))
    .refine((decisions) => Object.keys(decisions).length > 0, { message: 'decide at least one defect' }),
});

export const artifactListQuery = z.object({ kind: z.enum(['artifact', 'test_report']).optional() });

export const managementBody = z
  .strictObject({
    /** The user id of the person who manages the project from now on. */
    deliveryManagerId: id.optional(),
    requireManualReview: z.boolean().optional(),
  })
  .refine((body) => body.deliveryManagerId !== undefined || body.requireManualReview !== undefined, {
    message: 'give deliveryManagerId, requireManualReview or both',
  });
