import type { Identity } from '@delivery/contracts';
import { type PrivateJwk, signUserToken } from '@delivery/service-kit/identity';

/** Cached tokens at the most; beyond it the oldest go (each is cheap to sign again). */
const MAX_CACHED = 10_000;

/**
 * The token the gateway forwards with each request: the person's id, name and current roles,
 * for one service, signed with the gateway's key and valid for `ttlSeconds`. A token is reused
 * until half its life is gone, so a busy session does not cost a signature per request, and
 * any change of roles makes a new one at once (the roles are part of the cache key).
 */
export class IdentityTokens {
  private readonly cache = new Map<string, { token: string; renewAt: number }>();

  constructor(
    private readonly gatewayKey: PrivateJwk,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async for(identity: Identity, audience: string): Promise<string> {
    const key = JSON.stringify([audience, identity.id, identity.name, identity.roles]);
    const cached = this.cache.get(key);
    if (cached && cached.renewAt > this.now()) return cached.token;
    const token = await signUserToken(this.gatewayKey, {
      id: identity.id,
      name: identity.name,
      roles: identity.roles,
      audience,
      ttlSeconds: this.ttlSeconds,
    });
    this.cache.delete(key);
    this.cache.set(key, { token, renewAt: this.now() + (this.ttlSeconds * 1000) / 2 });
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    return token;
  }
}
