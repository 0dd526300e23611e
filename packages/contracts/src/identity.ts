import { z } from 'zod';

export { ROLES } from './roles.js';

export const roleSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be a role name: lowercase letters, digits, _ . -');
export type Role = z.infer<typeof roleSchema>;

/** Who did something: a person (through the gateway) or a service acting on its own. */
export const actorSchema = z.object({
  kind: z.enum(['user', 'service']),
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
});
export type Actor = z.infer<typeof actorSchema>;

/** A verified caller: the actor and the roles its token granted. */
export interface Identity extends Actor {
  roles: readonly string[];
}

/** The actor a verified caller stands for in timelines, events, approvals and audits (no roles). */
export const actorOf = ({ kind, id, name }: Identity): Actor => ({ kind, id, name });

/** The issuer (and key id) of user tokens: only the gateway's private key signs them. */
export const GATEWAY_ISSUER = 'gateway';

/** The services that verify tokens, each the audience its callers name. */
export const SERVICE_AUDIENCES = ['gateway', 'pipeline', 'job-runner', 'hitl', 'template-blueprint'] as const;

/** A token carries a person (signed by the gateway) or a service calling another (signed by itself). */
export const TOKEN_KINDS = ['user', 'service'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/**
 * The claims of an identity token (a JWT, EdDSA, header `kid` = `iss`): what the gateway signs for
 * a person and a service signs for itself. Times are seconds since the epoch, as JWT has them.
 */
export const identityClaimsSchema = z.object({
  /** `gateway` for user tokens; the calling service's name for service tokens. */
  iss: z.string().min(1).max(100),
  /** The user id, or the service name. */
  sub: z.string().min(1).max(200),
  /** The services the token is for. */
  aud: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  exp: z.number().int(),
  iat: z.number().int(),
  nbf: z.number().int().optional(),
  jti: z.string().min(1).max(200),
  kind: z.enum(TOKEN_KINDS),
  /** Display name. */
  name: z.string().min(1).max(200),
  roles: z.array(roleSchema).max(100),
});
export type IdentityClaims = z.infer<typeof identityClaimsSchema>;
