import { GATEWAY_ISSUER, ROLES } from '@delivery/contracts';
import type { PrivateJwk } from './jwk.js';
import { signIdentityToken } from './sign.js';

export interface ServiceTokensOptions {
  /** Default 300 s. */
  ttlSeconds?: number;
  /** Tests move the clock. */
  now?: () => Date;
}

interface Cached {
  token: Promise<string>;
  expiresAtMs: number;
}

/**
 * The tokens a service sends when it calls another, signed with its own key. One per audience,
 * reused until less than half its life is left, so a call rarely pays for a signature and a
 * token never expires on its way.
 */
export class ServiceTokens {
  private readonly cache = new Map<string, Cached>();
  private readonly ttlSeconds: number;
  private readonly now: () => Date;

  constructor(
    private readonly signingKey: PrivateJwk,
    readonly name: string,
    options: ServiceTokensOptions = {},
  ) {
    if (signingKey.kid !== name) throw new Error(`the signing key is "${signingKey.kid}"'s, not "${name}"'s`);
    if (name === GATEWAY_ISSUER) throw new Error('the gateway signs user tokens only');
    this.ttlSeconds = options.ttlSeconds ?? 300;
    this.now = options.now ?? (() => new Date());
  }

  tokenFor(audience: string): Promise<string> {
    const now = this.now();
    const cached = this.cache.get(audience);
    if (cached && cached.expiresAtMs - now.getTime() > (this.ttlSeconds * 1000) / 2) return cached.token;
    const entry: Cached = {
      token: signIdentityToken(this.signingKey, {
        kind: 'service',
        subject: this.name,
        name: this.name,
        roles: [ROLES.service],
        audience,
        ttlSeconds: this.ttlSeconds,
        now,
      }),
      expiresAtMs: Math.floor(now.getTime() / 1000) * 1000 + this.ttlSeconds * 1000,
    };
    this.cache.set(audience, entry);
    // A failed signature is not kept: the next call tries again.
    entry.token.catch(() => {
      if (this.cache.get(audience) === entry) this.cache.delete(audience);
    });
    return entry.token;
  }
}
