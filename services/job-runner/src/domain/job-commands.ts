import { defineCommand, stageSchema } from '@delivery/contracts';
import { z } from 'zod';

/** Internal: "job X may be due; a worker should try to claim it". Duplicates are harmless. */
export const dispatchJobCommand = defineCommand({
  queue: 'job-runner.dispatch',
  version: 1,
  payload: z.object({ jobId: z.string().min(1) }),
});

/** A job that failed for good, parked for operators to inspect (nobody consumes this queue). */
export const jobDeadLetteredCommand = defineCommand({
  queue: 'job-runner.dead-letter',
  version: 1,
  payload: z.object({
    jobId: z.string(),
    projectId: z.string(),
    stage: stageSchema,
    kind: z.string(),
    attempt: z.number().int(),
    error: z.string(),
  }),
});
