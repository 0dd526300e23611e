import { z } from 'zod';
import type { Payload, ResumeSpec } from '../handler.js';
import { defectSchema } from './defect.js';

const decisionsSchema = z.record(z.string().min(1), z.enum(['confirmed', 'rejected']));

export const defectValidationPayloadSchema = z
  .object({
    defects: z.array(defectSchema),
    /** Added by a person when they resume the job. */
    decisions: decisionsSchema.default({}),
  })
  .superRefine(({ defects, decisions }, ctx) => {
    // A decision nobody can match (a typo, another run's defect) would leave the job waiting
    // while the person believes they decided.
    const known = new Set(defects.map((d) => d.fingerprint));
    for (const fingerprint of Object.keys(decisions)) {
      if (!known.has(fingerprint)) {
        ctx.addIssue({
          code: 'custom',
          path: ['decisions', fingerprint],
          message: 'no defect has this fingerprint',
        });
      }
    }
  });

/**
 * Decisions add up over several resumes until every defect is decided; a later decision on the
 * same fingerprint replaces the earlier one (a person may change their mind).
 */
export const defectValidationResume: ResumeSpec = {
  input: z.strictObject({ decisions: decisionsSchema }),
  merge: (payload, input) => ({
    ...payload,
    decisions: { ...asRecord(payload.decisions), ...asRecord(input.decisions) },
  }),
};

const asRecord = (value: unknown): Payload =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : {};
