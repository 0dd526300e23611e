import {
  baseConfigSchema,
  migrationConfigSchema,
  retentionDays,
  retentionSweepInterval,
} from '@delivery/service-kit/config';
import { identityConfigCheck, identityConfigShape } from '@delivery/service-kit/identity';
import { z } from 'zod';

const ms = (fallback: number, min = 10) => z.coerce.number().int().min(min).default(fallback);

/** The database this service owns (tests use one per test file): its processes and its migration read it. */
const database = {
  SERVICE_NAME: z.string().min(1).default('hitl'),
  MONGO_DB: z.string().min(1).default('hitl'),
};

export const configSchema = baseConfigSchema
  .extend({
    ...identityConfigShape('hitl'),
    ...database,
    /** How often pending approvals past their window are expired. */
    EXPIRY_SWEEP_INTERVAL_MS: ms(10_000),
    /** Days audit records (approvals' and gate configs') are kept; 0 keeps them forever. */
    AUDIT_RETENTION_DAYS: retentionDays(365),
    /** Days gate evaluation records are kept; 0 keeps them forever. */
    EVALUATION_RETENTION_DAYS: retentionDays(90),
    /** How often records past their retention are removed. */
    RETENTION_SWEEP_INTERVAL_MS: retentionSweepInterval(),
  })
  .superRefine(identityConfigCheck);
export type HitlConfig = z.infer<typeof configSchema>;

/** What `npm run migrate` (src/migrate.ts) reads: where the database is, and which it is. */
export const migrateConfigSchema = migrationConfigSchema.extend(database);
