import { z } from 'zod';

/**
 * Opaque keyset cursor for listing newest first: (createdAt, id) of the last item of a page.
 * Keyset rather than skip/offset, so pages stay stable while items are being added. Here, beside
 * the route contracts, because a route's query schema decodes it.
 */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition | undefined {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string') return undefined;
    const date = new Date(createdAt);
    return Number.isNaN(date.getTime()) ? undefined : { createdAt: date, id };
  } catch {
    return undefined;
  }
}

/** A `cursor` query parameter: decoded to its position; anything not from this API is bad input. */
export const cursorParam = z
  .string()
  .min(1)
  .max(500)
  .transform((text, context) => {
    const position = decodeCursor(text);
    if (!position) context.addIssue({ code: 'custom', message: 'not a cursor from this API' });
    return position ?? z.NEVER;
  });
