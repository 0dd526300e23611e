import { randomUUID } from 'node:crypto';
import { GATEWAY_ISSUER, roleSchema, type TokenKind } from '@delivery/contracts';
import { importJWK, SignJWT } from 'jose';
import { z } from 'zod';
import { IDENTITY_ALGORITHM, type PrivateJwk } from './jwk.js';

export interface TokenRequest {
  kind: TokenKind;
  /** The user id, or the service's name. */
  subject: string;
  /** Display name. */
  name: string;
  roles: readonly string[];
  /** The service (or services) the token is for. */
  audience: string | readonly string[];
  ttlSeconds: number;
  /** When it is issued (tests pin it). Default: now. */
  now?: Date;
}

const rolesSchema = z.array(roleSchema);

/** Signs an identity token with `key`; its issuer is the key's name (kid = iss). */
export async function signIdentityToken(key: PrivateJwk, request: TokenRequest): Promise<string> {
  const issuedAt = Math.floor((request.now ?? new Date()).getTime() / 1000);
  const roles = rolesSchema.parse(request.roles);
  const audience = typeof request.audience === 'string' ? request.audience : [...request.audience];
  return new SignJWT({ kind: request.kind, name: request.name, roles })
    .setProtectedHeader({ alg: IDENTITY_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(key.kid)
    .setSubject(request.subject)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.ttlSeconds)
    .setJti(randomUUID())
    .sign(await importJWK(key, IDENTITY_ALGORITHM));
}

export interface UserTokenRequest {
  id: string;
  name: string;
  roles: readonly string[];
  audience: string | readonly string[];
  /** Default 300: the gateway signs one per request, so it need not live long. */
  ttlSeconds?: number;
}

/** A person's token, as the gateway signs it (with its own private key, kid `gateway`). */
export async function signUserToken(gatewayKey: PrivateJwk, user: UserTokenRequest): Promise<string> {
  if (gatewayKey.kid !== GATEWAY_ISSUER) {
    throw new Error(`user tokens are signed with the gateway's key, not with "${gatewayKey.kid}"'s`);
  }
  return signIdentityToken(gatewayKey, {
    kind: 'user',
    subject: user.id,
    name: user.name,
    roles: user.roles,
    audience: user.audience,
    ttlSeconds: user.ttlSeconds ?? 300,
  });
}
