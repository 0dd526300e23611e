import { deleteExpired, deleteOlderThan, type RetentionRule } from '@delivery/service-kit';
import type { GatewayModels } from './models.js';

/**
 * What the gateway forgets: access audit records older than `auditDays` (0 keeps them), and
 * sessions past their absolute expiry. The sessions' TTL index does the latter on MongoDB; the
 * sweep repeats it for stores without TTL expiry (the embedded one) at the cost of one indexed query.
 */
export function gatewayRetention(models: GatewayModels, auditDays: number): RetentionRule[] {
  return [
    deleteOlderThan('access audit', auditDays, models.audit, (cutoff) => ({ createdAt: { $lt: cutoff } })),
    deleteExpired('expired sessions', models.sessions, (now) => ({ expiresAt: { $lte: now } })),
  ];
}
