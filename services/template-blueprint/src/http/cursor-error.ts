import { z } from 'zod';

/** A cursor this API did not make is bad input on the `cursor` field. */
export function invalidCursor(cursor: string | undefined): z.ZodError {
  return new z.ZodError([
    { code: 'custom', path: ['cursor'], message: 'not a cursor from this API', input: cursor },
  ]);
}
