import type { Envelope, MessageDefinition } from '@delivery/contracts';
import type { z } from 'zod';

export type Decoded =
  | { ok: true; envelope: Envelope; definition: MessageDefinition<z.ZodType> }
  | { ok: false; reason: string };

/**
 * Turns raw bytes into a validated envelope, or says precisely why not. Pure, so the reasons
 * a message is dead-lettered can be tested without a broker.
 */
export function decodeMessage(
  content: Buffer,
  definitions: readonly MessageDefinition<z.ZodType>[],
): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(content.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  const definition = definitions.find((candidate) => candidate.type === type);
  if (!definition) {
    return { ok: false, reason: `unknown message type ${JSON.stringify(type ?? null)}` };
  }
  const result = definition.schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    return { ok: false, reason: `schema validation failed: ${issues.join('; ')}` };
  }
  return { ok: true, envelope: result.data, definition };
}
