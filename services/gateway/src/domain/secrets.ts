import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The secrets the gateway hands out: session ids, CSRF tokens, invitation tokens and API keys.
 * Each is 32 random bytes; only its SHA-256 is stored (a fast hash is enough for secrets this
 * long, unlike passwords), so a copy of the database holds nothing that signs anyone in.
 */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

export function sameSecret(given: string, expected: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * API keys read `dk_<id>_<secret>`: the id finds the stored key (and shows in lists, so a
 * person can tell their keys apart); the secret is checked against its digest.
 */
const API_KEY = /^dk_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export function newApiKey(): { id: string; secret: string; key: string } {
  const id = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16);
  const secret = newSecret();
  return { id, secret, key: `dk_${id}_${secret}` };
}

export function parseApiKey(text: string): { id: string; secret: string } | undefined {
  const match = API_KEY.exec(text);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

export const looksLikeApiKey = (text: string): boolean => text.startsWith('dk_');
