import { z } from 'zod';

/** A failed or errored test case, as `test` produces it and `defect_validation` consumes it. */
export const defectSchema = z.object({
  fingerprint: z.string().min(1),
  suite: z.string(),
  classname: z.string().default(''),
  testCase: z.string(),
  type: z.enum(['failure', 'error']),
  message: z.string().default(''),
  details: z.string().default(''),
});
export type Defect = z.infer<typeof defectSchema>;
