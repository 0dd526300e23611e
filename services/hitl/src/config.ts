import { baseConfigSchema, retentionDays, retentionSweepInterval } from '@delivery/service-kit/config';
import { identityConfigCheck, identityConfigShape } from '@delivery/service-kit/identity';
import { z } from 'zod';

const ms = (fallback: number, min = 10) => z.coerce.number().int().min(min).default(fallback);

export const configSchema = baseConfigSchema
  .extend({
    ...identityConfigShape('hitl'),
    SERVICE_NAME: z.string().min(1).default('hitl'),
    /** The database this service owns (tests use one per test file). */
    MONGO_DB: z.string().min(1).default('hitl'),
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
