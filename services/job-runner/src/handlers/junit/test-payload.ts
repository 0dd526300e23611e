import { z } from 'zod';

const reportSchema = z.union([
  z.object({ name: z.string().min(1), xml: z.string().min(1) }),
  z.object({ name: z.string().min(1), url: z.url({ protocol: /^https?$/ }) }),
]);
export type ReportRef = z.infer<typeof reportSchema>;

export const testPayloadSchema = z.object({ reports: z.array(reportSchema).min(1) });
