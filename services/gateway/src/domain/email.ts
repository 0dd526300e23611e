import { z } from 'zod';

/**
 * A sign-in name shaped like an email: `local@domain`, without insisting on a dotted domain, so
 * `admin@localhost` (npm start's first admin) works. Stored and compared in lower case.
 */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address (name@domain)');
