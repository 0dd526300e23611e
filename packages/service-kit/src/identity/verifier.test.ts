import { signToken, testKeys, userToken } from '@delivery/testing';
import { UnauthenticatedError } from '../http/errors.js';
import { generateIdentityKeys, privateKeyOf } from './keys.js';
import { signUserToken } from './sign.js';
import { createIdentityVerifier } from './verifier.js';

const verifier = createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'job-runner' });
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function refusal(token: string): Promise<string> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return (error as Error).message;
}

/** Claims as the gateway writes them, for the tests that sign by hand. */
const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: 'gateway',
  sub: 'u-1',
  aud: ['job-runner'],
  iat: seconds(new Date()),
  exp: seconds(minutesFromNow(5)),
  jti: 'j-1',
  kind: 'user',
  name: 'Ann',
  roles: ['operator'],
  ...overrides,
});

describe('identity verifier', () => {
  it('accepts a user token from the gateway, giving its id, name and roles', async () => {
    const token = userToken({
      id: 'u-7',
      name: 'Ann Lee',
      roles: ['operator', 'qa_lead'],
      audience: 'job-runner',
    });
    expect(await verifier.verify(token)).toEqual({
      kind: 'user',
      id: 'u-7',
      name: 'Ann Lee',
      roles: ['operator', 'qa_lead'],
    });
  });

  it('accepts what signUserToken signs with the gateway key, for an audience among several', async () => {
    const keys = generateIdentityKeys(['gateway', 'job-runner']);
    const own = createIdentityVerifier({ publicKeys: keys.publicKeys, audience: 'job-runner' });
    const token = await signUserToken(privateKeyOf(keys, 'gateway'), {
      id: 'u-1',
      name: 'Bo',
      roles: ['admin'],
      audience: ['hitl', 'job-runner'],
    });
    expect(await own.verify(token)).toEqual({ kind: 'user', id: 'u-1', name: 'Bo', roles: ['admin'] });
    // Another gateway key than the one this verifier trusts.
    await expect(verifier.verify(token)).rejects.toThrow('the token signature is invalid');
  });

  it('gives a service token the service role alone, whatever roles it claims', async () => {
    const token = signToken(
      claims({ iss: 'pipeline', sub: 'pipeline', kind: 'service', name: 'pipeline', roles: ['admin'] }),
      testKeys.of('pipeline'),
    );
    expect(await verifier.verify(token)).toEqual({
      kind: 'service',
      id: 'pipeline',
      name: 'pipeline',
      roles: ['service'],
    });
  });

  it('refuses a user token signed by a service key, under either kid', async () => {
    const hitl = testKeys.of('hitl');
    expect(await refusal(signToken(claims({ iss: 'hitl' }), hitl))).toBe(
      'a user token must come from the gateway',
    );
    // The service's key, claiming to be the gateway: the kid names the key, and it is not the issuer's.
    expect(await refusal(signToken(claims(), hitl))).toBe('the token is not signed by the key of its issuer');
    const asGateway = signToken(claims(), hitl, { alg: 'EdDSA', kid: 'gateway' });
    expect(await refusal(asGateway)).toBe('the token signature is invalid');
  });

  it('refuses a token forged with a fresh key under the kid "gateway"', async () => {
    const forged = userToken({ roles: ['admin'], signedBy: testKeys.untrusted('gateway') });
    expect(await refusal(forged)).toBe('the token signature is invalid');
    expect(await refusal(userToken({ signedBy: testKeys.untrusted('intruder') }))).toBe(
      'the token is signed by no trusted key',
    );
  });

  it('refuses a service token from the gateway, or one speaking for another service', async () => {
    const fromGateway = signToken(claims({ kind: 'service', sub: 'gateway' }), testKeys.of('gateway'));
    expect(await refusal(fromGateway)).toBe('the gateway signs user tokens only');
    const impersonating = signToken(
      claims({ iss: 'pipeline', sub: 'hitl', kind: 'service' }),
      testKeys.of('pipeline'),
    );
    expect(await refusal(impersonating)).toBe('a service token speaks only for its issuer');
  });

  it('refuses a user token that claims the service role', async () => {
    expect(await refusal(userToken({ roles: ['admin', 'service'] }))).toBe(
      'a user cannot hold the "service" role',
    );
  });

  it('checks expiry and not-before with the clock tolerance', async () => {
    expect(await refusal(userToken({ expiresAt: new Date(Date.now() - 60_000) }))).toBe(
      'the token has expired',
    );
    expect(await refusal(userToken({ notBefore: minutesFromNow(1) }))).toBe('the token is not valid yet');
    // Within the default 5 s either way.
    const justExpired = userToken({ expiresAt: new Date(Date.now() - 2_000) });
    const almostValid = userToken({ notBefore: new Date(Date.now() + 2_000) });
    await expect(verifier.verify(justExpired)).resolves.toMatchObject({ kind: 'user' });
    await expect(verifier.verify(almostValid)).resolves.toMatchObject({ kind: 'user' });
    const strict = createIdentityVerifier({
      publicKeys: testKeys.publicKeys(),
      audience: 'job-runner',
      clockToleranceSeconds: 0,
      now: () => new Date(Date.now() + 10_000),
    });
    await expect(strict.verify(userToken({ ttlSeconds: 5 }))).rejects.toThrow('the token has expired');
  });

  it('refuses a token for another audience', async () => {
    expect(await refusal(userToken({ audience: ['hitl', 'pipeline'] }))).toBe(
      'the token is not for job-runner',
    );
  });

  it('refuses tokens without the claims an identity needs, or with bad ones', async () => {
    const gateway = testKeys.of('gateway');
    const { exp: _exp, ...noExpiry } = claims();
    expect(await refusal(signToken(noExpiry, gateway))).toBe(
      'the token\'s "exp" claim is missing or invalid',
    );
    const { name: _name, ...noName } = claims();
    expect(await refusal(signToken(noName, gateway))).toBe('the token does not carry a valid identity');
    expect(await refusal(signToken(claims({ roles: 'admin' }), gateway))).toBe(
      'the token does not carry a valid identity',
    );
    expect(await refusal(signToken(claims({ kind: 'robot' }), gateway))).toBe(
      'the token does not carry a valid identity',
    );
  });

  it('refuses other algorithms and anything that is not a JWT', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', kid: 'gateway' })}.${encode(claims({ roles: ['admin'] }))}.`;
    expect(await refusal(unsigned)).toMatch(/malformed|EdDSA/);
    const hmac = `${encode({ alg: 'HS256', kid: 'gateway' })}.${encode(claims())}.c2ln`;
    expect(await refusal(hmac)).toBe('the token must be signed with EdDSA');
    for (const garbage of ['', 'abc', 'a.b.c', `${encode({ alg: 'EdDSA' })}.e30.AAAA`]) {
      expect(await refusal(garbage)).toEqual(expect.any(String));
    }
  });
});
