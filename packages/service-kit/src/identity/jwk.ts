import { z } from 'zod';

/** The JWS algorithm of every identity token: Ed25519 signatures. */
export const IDENTITY_ALGORITHM = 'EdDSA';

// An Ed25519 key's public (x) and private (d) parts are 32 bytes: 43 base64url characters.
const ed25519Part = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes, base64url');

/** The name a key signs as (`kid` = `iss`): `gateway` or a service's name. */
export const keyIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a name: a-z, 0-9, -');

export const publicJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: ed25519Part,
  kid: keyIdSchema,
  alg: z.literal(IDENTITY_ALGORITHM).optional(),
  use: z.literal('sig').optional(),
});
export type PublicJwk = z.infer<typeof publicJwkSchema>;

export const privateJwkSchema = publicJwkSchema.extend({ d: ed25519Part });
export type PrivateJwk = z.infer<typeof privateJwkSchema>;

/** The trusted public keys: one per signer, each named by its `kid`. */
export const jwksSchema = z.object({
  keys: z
    .array(publicJwkSchema)
    .min(1)
    .refine((keys) => new Set(keys.map((key) => key.kid)).size === keys.length, 'two keys have the same kid'),
});
export type Jwks = z.infer<typeof jwksSchema>;

/** The public half of a private JWK (what goes into the JWKS). */
export function publicJwkOf({ kty, crv, x, kid }: PrivateJwk): PublicJwk {
  return { kty, crv, x, kid, alg: IDENTITY_ALGORITHM, use: 'sig' };
}
