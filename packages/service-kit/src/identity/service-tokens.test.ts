import { generateIdentityKeys, privateKeyOf } from './keys.js';
import { ServiceTokens } from './service-tokens.js';
import { createIdentityVerifier } from './verifier.js';

const keys = generateIdentityKeys(['gateway', 'job-runner', 'template-blueprint']);
const key = (name: string) => privateKeyOf(keys, name);

describe('ServiceTokens', () => {
  let clock = new Date('2030-01-01T00:00:00Z');
  const tokens = new ServiceTokens(key('job-runner'), 'job-runner', { ttlSeconds: 300, now: () => clock });
  const verifierAt = (audience: string) =>
    createIdentityVerifier({ publicKeys: keys.publicKeys, audience, now: () => clock });

  it('signs a service token for the audience that verifies as the service', async () => {
    const token = await tokens.tokenFor('template-blueprint');
    expect(await verifierAt('template-blueprint').verify(token)).toEqual({
      kind: 'service',
      id: 'job-runner',
      name: 'job-runner',
      roles: ['service'],
    });
    await expect(verifierAt('hitl').verify(token)).rejects.toThrow('the token is not for hitl');
  });

  it('reuses a token per audience until less than half its life is left', async () => {
    const first = await tokens.tokenFor('template-blueprint');
    const other = await tokens.tokenFor('hitl');
    expect(other).not.toBe(first);
    clock = new Date(clock.getTime() + 149_000);
    expect(await tokens.tokenFor('template-blueprint')).toBe(first);
    clock = new Date(clock.getTime() + 2_000);
    const renewed = await tokens.tokenFor('template-blueprint');
    expect(renewed).not.toBe(first);
    expect(await tokens.tokenFor('template-blueprint')).toBe(renewed);
    // The old one is still good for the other half of its life, so nothing in flight fails.
    await expect(verifierAt('template-blueprint').verify(first)).resolves.toMatchObject({ id: 'job-runner' });
  });

  it('refuses a key that is not its own, and the gateway key', () => {
    expect(() => new ServiceTokens(key('template-blueprint'), 'job-runner')).toThrow(
      `the signing key is "template-blueprint"'s, not "job-runner"'s`,
    );
    expect(() => new ServiceTokens(key('gateway'), 'gateway')).toThrow('the gateway signs user tokens only');
  });
});
