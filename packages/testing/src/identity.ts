import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { GATEWAY_ISSUER, type IdentityClaims, ROLES, SERVICE_AUDIENCES } from '@delivery/contracts';

/*
 * Identity for tests: a key pair for the gateway and for every service, made once per test file
 * (jest gives each its own module registry), trusted by every service the tests start through
 * `ServiceTestEnv.env()`. Tokens are signed here with node:crypto, independently of the services'
 * JWT library, and can be bent every way a forger would (the other key, the other kid, old dates).
 */

export interface TestKey {
  /** The name it signs as (its kid). */
  kid: string;
  privateKey: KeyObject;
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };
  privateJwk: TestKey['publicJwk'] & { d: string };
}

function makeKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const { x } = publicKey.export({ format: 'jwk' });
  const { d } = privateKey.export({ format: 'jwk' });
  const publicJwk = { kty: 'OKP', crv: 'Ed25519', x: x as string, kid, alg: 'EdDSA', use: 'sig' } as const;
  return { kid, privateKey, publicJwk, privateJwk: { ...publicJwk, d: d as string } };
}

/** Everyone who holds a key: the gateway and each service. */
export const TEST_KEY_NAMES: readonly string[] = [...new Set([GATEWAY_ISSUER, ...SERVICE_AUDIENCES])];
const trusted = new Map(TEST_KEY_NAMES.map((name) => [name, makeKey(name)]));

/** The keys the services started by tests trust, and keys they do not. */
export const testKeys = {
  /** A trusted key: `gateway` or a service's. */
  of(name: string): TestKey {
    const key = trusted.get(name);
    if (!key) throw new Error(`no test key for "${name}": one of ${TEST_KEY_NAMES.join(', ')}`);
    return key;
  },
  /** A fresh key under any kid (`gateway` for a forged user token): no service trusts it. */
  untrusted: (kid: string): TestKey => makeKey(kid),
  /** The JWKS the services get as IDENTITY_PUBLIC_KEYS. */
  publicKeys: () => ({ keys: [...trusted.values()].map((key) => key.publicJwk) }),
  publicKeysJson: () => JSON.stringify(testKeys.publicKeys()),
  /** A service's IDENTITY_SIGNING_KEY. */
  signingKeyJson: (service: string) => JSON.stringify(testKeys.of(service).privateJwk),
};

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Signs any claims and header with `key` (EdDSA): the raw material of forged tokens. */
export function signToken(
  claims: Record<string, unknown>,
  key: TestKey,
  header: Record<string, unknown> = { alg: 'EdDSA', typ: 'JWT', kid: key.kid },
): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${base64url(sign(null, Buffer.from(signingInput), key.privateKey))}`;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export interface TestTokenOptions {
  roles?: readonly string[];
  /** The user id (a service token's is its issuer). */
  id?: string;
  name?: string;
  /** Default: every service. */
  audience?: string | readonly string[];
  /** Default 3600. */
  ttlSeconds?: number;
  issuedAt?: Date;
  /** Overrides the expiry `ttlSeconds` gives (an expired token: a date in the past). */
  expiresAt?: Date;
  notBefore?: Date;
  /** Default: the gateway's trusted key. */
  signedBy?: TestKey;
  /** Default: the signing key's kid. */
  issuer?: string;
  kind?: IdentityClaims['kind'];
}

/** A user token as the gateway would sign it, or bent by the options into one it never would. */
export function userToken(options: TestTokenOptions = {}): string {
  const key = options.signedBy ?? testKeys.of(GATEWAY_ISSUER);
  const issuedAt = seconds(options.issuedAt ?? new Date());
  const claims: IdentityClaims = {
    iss: options.issuer ?? key.kid,
    sub: options.id ?? 'test-user',
    aud:
      typeof options.audience === 'string' ? options.audience : [...(options.audience ?? SERVICE_AUDIENCES)],
    iat: issuedAt,
    exp: options.expiresAt ? seconds(options.expiresAt) : issuedAt + (options.ttlSeconds ?? 3_600),
    ...(options.notBefore ? { nbf: seconds(options.notBefore) } : {}),
    jti: randomUUID(),
    kind: options.kind ?? 'user',
    name: options.name ?? 'Test User',
    roles: [...(options.roles ?? [])],
  };
  return signToken(claims, key);
}

/** A token `service` signs for itself to call `audience`. */
export function serviceToken(
  service: string,
  audience: string | readonly string[],
  options: TestTokenOptions = {},
): string {
  return userToken({
    signedBy: testKeys.of(service),
    id: service,
    name: service,
    roles: [ROLES.service],
    kind: 'service',
    audience,
    ...options,
  });
}

/** The roles of the default test caller: enough for every route the services have. */
export const DEFAULT_TEST_ROLES: readonly string[] = [ROLES.admin, ROLES.operator, ROLES.deliveryManager];

let cachedDefault: { token: string; renewAt: number } | undefined;

/** What the JSON helpers send unless told otherwise: a user with DEFAULT_TEST_ROLES, for every service. */
export function defaultTestToken(): string {
  if (!cachedDefault || Date.now() > cachedDefault.renewAt) {
    cachedDefault = { token: userToken({ roles: DEFAULT_TEST_ROLES }), renewAt: Date.now() + 1_800_000 };
  }
  return cachedDefault.token;
}

/**
 * The `authorization` header of a request: the default test token, the one given, or none for
 * `null` (`fetch(url, { headers: authHeaders() })`).
 */
export function authHeaders(token: string | null = defaultTestToken()): Record<string, string> {
  return token === null ? {} : { authorization: `Bearer ${token}` };
}

export interface RefusedCredential {
  what: string;
  /** The whole header value; absent: no header at all. */
  authorization?: string;
}

/**
 * Everything a service must answer 401 to, for a caller whose token would otherwise reach
 * `audience` with every test role: no token, another scheme, garbage, a forgery, an expired or
 * not yet valid token, one for another service, and user tokens signed by a service's key.
 */
export function refusedCredentials(audience: string): RefusedCredential[] {
  const valid = { roles: DEFAULT_TEST_ROLES, audience };
  const bearer = (options: TestTokenOptions) => `Bearer ${userToken({ ...valid, ...options })}`;
  const otherService = SERVICE_AUDIENCES.find(
    (name) => name !== audience && name !== GATEWAY_ISSUER,
  ) as string;
  const minutes = (n: number) => new Date(Date.now() + n * 60_000);
  return [
    { what: 'no token' },
    { what: 'the Basic scheme', authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    { what: 'garbage', authorization: 'Bearer garbage' },
    { what: 'three garbage segments', authorization: 'Bearer aaa.bbb.ccc' },
    {
      what: 'a forgery: the claims signed by a fresh key under the kid "gateway"',
      authorization: bearer({ signedBy: testKeys.untrusted('gateway') }),
    },
    { what: 'an expired token', authorization: bearer({ issuedAt: minutes(-60), expiresAt: minutes(-1) }) },
    { what: 'a token not valid yet', authorization: bearer({ notBefore: minutes(10) }) },
    { what: `a token for ${otherService} only`, authorization: bearer({ audience: otherService }) },
    {
      what: `a user token signed by ${otherService}'s key`,
      authorization: bearer({ signedBy: testKeys.of(otherService) }),
    },
    {
      what: `a user token signed by ${audience}'s own key, claiming the gateway as its issuer`,
      authorization: bearer({ signedBy: testKeys.of(audience), issuer: GATEWAY_ISSUER }),
    },
  ];
}
