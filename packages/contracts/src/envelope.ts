import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * Every message on the broker is an envelope: who it is (`id`, unique, used by consumers to
 * de-duplicate at-least-once deliveries), what it is (`type` + `version`), when it happened,
 * which request chain it belongs to (`correlationId`), and the typed payload.
 *
 * Messages published through an outbox also say which entity they are about (`subject`) and
 * where they stand among that entity's messages (`sequence`, stamped by the relay): see
 * packages/contracts/README.md. A message sent without an outbox (e.g. a script's command) has neither.
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1).max(200),
  subject: z.string().min(1).max(200).optional(),
  sequence: z.number().int().positive().optional(),
  payload: z.unknown(),
});

export type Envelope<P = unknown> = Omit<z.infer<typeof envelopeSchema>, 'payload'> & { payload: P };

export interface EnvelopeMeta {
  correlationId?: string;
  id?: string;
  occurredAt?: Date;
}

export function createEnvelope<P>(
  type: string,
  version: number,
  payload: P,
  meta: EnvelopeMeta = {},
): Envelope<P> {
  const id = meta.id ?? randomUUID();
  return {
    id,
    type,
    version,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    // A message that starts a chain is its own correlation root.
    correlationId: meta.correlationId ?? id,
    payload,
  };
}

/**
 * Whether a consumer that has already applied sequence `lastSeen` of this envelope's subject
 * should ignore it: a redelivery (same sequence) or an older message arriving late. A message
 * without a sequence, or a subject not seen yet, is never stale.
 */
export function isStale(lastSeen: number | undefined, envelope: Pick<Envelope, 'sequence'>): boolean {
  return lastSeen !== undefined && envelope.sequence !== undefined && envelope.sequence <= lastSeen;
}
