import { jobStatusSchema, stageSchema } from '@delivery/contracts';
import { z } from 'zod';

export const jobIdParams = z.object({ id: z.uuid() });

export const listJobsQuery = z.object({
  projectId: z.string().min(1).optional(),
  stage: stageSchema.optional(),
  kind: z.string().min(1).optional(),
  status: jobStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).optional(),
});

export const resumeJobBody = z.object({
  /** Added input (e.g. a person's decisions); only what the job's kind declares is accepted. */
  input: z.record(z.string(), z.unknown()).default({}),
});
