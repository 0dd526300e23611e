import type { Request } from 'express';
import type { AuditEntry } from '../store/audit-log.js';

/** The audit's view of who made a request: the signed-in account, or an anonymous caller. */
export function auditActor(req: Request, fallbackEmail?: string): AuditEntry['actor'] {
  if (req.account) return { kind: 'user', id: req.account._id, name: req.account.name };
  return { kind: 'anonymous', id: fallbackEmail ?? 'unknown', name: fallbackEmail ?? 'unknown' };
}

export const clientAddress = (req: Request): string | null => req.ip ?? null;
