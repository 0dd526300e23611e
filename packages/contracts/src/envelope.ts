import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * Every message on the broker is an envelope: who it is (`id`, unique, used by consumers to
 * de-duplicate at-least-once deliveries), what it is (`type` + `version`), when it happened,
 * which request chain it belongs to (`correlationId`), and the typed payload.
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1).max(200),
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
