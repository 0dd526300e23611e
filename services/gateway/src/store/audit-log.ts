import { randomUUID } from 'node:crypto';
import { afterCursor, type CursorPosition } from '@delivery/service-kit';
import type { AuditDocument, GatewayModels } from './models.js';

export type AuditEntry = Omit<AuditDocument, '_id' | 'createdAt'>;

/** The access audit: who signed in (or failed to), signed out, made or revoked keys, changed accounts. */
export class AuditLog {
  constructor(
    private readonly audit: GatewayModels['audit'],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.audit.create({ _id: randomUUID(), createdAt: this.clock(), ...entry });
  }

  list(filter: { action?: string; actorId?: string }, limit: number, after?: CursorPosition) {
    const query = {
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.actorId ? { 'actor.id': filter.actorId } : {}),
      ...(after ? afterCursor(after) : {}),
    };
    return this.audit.find(query).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<AuditDocument[]>();
  }
}
