import { ROLES, roleSchema } from '@delivery/contracts';
import { z } from 'zod';

/**
 * The roles a person may hold: the platform's (admin, operator, delivery_manager), `viewer`
 * (reads only: no service route that changes anything accepts it alone), and any approver role a
 * gate names (e.g. `qa_lead`). `service` is for services' own identities, never a person's.
 */
export const VIEWER_ROLE = 'viewer';

export const personRolesSchema = z
  .array(roleSchema.refine((role) => role !== ROLES.service, 'is reserved for services'))
  .max(20)
  .transform((roles) => [...new Set(roles)].sort());

/** The roles in `wanted` that `held` lacks (an API key may only narrow its owner's roles). */
export const rolesBeyond = (wanted: readonly string[], held: readonly string[]): string[] =>
  wanted.filter((role) => !held.includes(role));

/** What a key grants today: its roles, as far as its owner still holds them. */
export const effectiveKeyRoles = (keyRoles: readonly string[], ownerRoles: readonly string[]): string[] =>
  keyRoles.filter((role) => ownerRoles.includes(role));
