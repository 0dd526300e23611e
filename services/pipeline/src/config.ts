import { baseConfigSchema, migrationConfigSchema, upstreamUrlsSchema } from '@delivery/service-kit/config';
import { identityConfigCheck, identityConfigShape, signingKeyCheck } from '@delivery/service-kit/identity';
import { z } from 'zod';

const ms = (fallback: number, min = 10) => z.coerce.number().int().min(min).default(fallback);
const httpUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

/** `id=Display Name` entries, comma-separated: the people auto-assignment picks from. */
const assigneePool = z
  .string()
  .default('')
  .transform((text, ctx) =>
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .flatMap((entry) => {
        const [id, ...name] = entry.split('=');
        if (!id || name.length === 0) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" is not id=Display Name` });
          return [];
        }
        return [{ id: id.trim(), name: name.join('=').trim() }];
      }),
  );

/** The database this service owns (tests use one per test file): its processes and its migration read it. */
const database = {
  SERVICE_NAME: z.string().min(1).default('pipeline'),
  MONGO_DB: z.string().min(1).default('pipeline'),
};

export const configSchema = baseConfigSchema
  .extend({
    ...identityConfigShape('pipeline'),
    ...database,
    /** Where the job-runner's workers reach this API (artifact lists and downloads in job payloads). */
    PUBLIC_URL: httpUrl,
    /** Each one URL, or the URLs of the service's replicas separated by commas (taken in turn). */
    TEMPLATE_BLUEPRINT_URL: upstreamUrlsSchema,
    HITL_URL: upstreamUrlsSchema,
    JOB_RUNNER_URL: upstreamUrlsSchema,
    /** Each call to another service gives up after this long (its breaker counts the failure). */
    UPSTREAM_TIMEOUT_MS: ms(5_000, 100),
    AUTO_ASSIGN_POOL: assigneePool,
    TEST_REPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1_024)
      .default(20 * 1024 * 1024),
    /** What one project may hold: its files are listed on it, so their number is bounded too. */
    PROJECT_MAX_FILES: z.coerce.number().int().min(1).max(10_000).default(500),
    PROJECT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1_024)
      .default(5 * 1024 * 1024 * 1024),
  })
  .superRefine(identityConfigCheck)
  .superRefine(signingKeyCheck(() => 'the pipeline calls template-blueprint, hitl and job-runner'));
export type PipelineConfig = z.infer<typeof configSchema>;

/** What `npm run migrate` (src/migrate.ts) reads: where the database is, and which it is. */
export const migrateConfigSchema = migrationConfigSchema.extend(database);
