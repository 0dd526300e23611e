import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwksSchema, privateJwkSchema } from './jwk.js';
import { ensureIdentityKeys, IDENTITY_KEY_NAMES, privateKeyOf } from './keys.js';
import { signUserToken } from './sign.js';
import { createIdentityVerifier } from './verifier.js';

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'identity-keys-')), 'identity');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('ensureIdentityKeys', () => {
  it('creates a private key per name (0600) and the JWKS of their public keys', () => {
    const files = ensureIdentityKeys(dir, IDENTITY_KEY_NAMES);
    expect(IDENTITY_KEY_NAMES).toEqual(['gateway', 'pipeline', 'job-runner', 'hitl', 'template-blueprint']);
    for (const name of IDENTITY_KEY_NAMES) {
      const file = files.privateKeyFile(name);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(privateJwkSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).kid).toBe(name);
    }
    const jwks = jwksSchema.parse(JSON.parse(readFileSync(files.publicKeysFile, 'utf8')));
    expect(jwks.keys.map((key) => key.kid)).toEqual([...IDENTITY_KEY_NAMES]);
    expect(JSON.stringify(jwks)).not.toContain('"d"');
  });

  it('reuses the keys it finds, so tokens signed before a restart still verify', async () => {
    const first = ensureIdentityKeys(dir, ['gateway', 'hitl']);
    const token = await signUserToken(privateKeyOf(first, 'gateway'), {
      id: 'u-1',
      name: 'Ann',
      roles: ['admin'],
      audience: 'hitl',
    });
    const again = ensureIdentityKeys(dir, ['gateway', 'hitl']);
    expect(again.privateKeys).toEqual(first.privateKeys);
    const publicKeys = jwksSchema.parse(JSON.parse(readFileSync(again.publicKeysFile, 'utf8')));
    const verifier = createIdentityVerifier({ publicKeys, audience: 'hitl' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u-1', roles: ['admin'] });
  });

  it('names a key file it cannot use instead of replacing it', () => {
    const files = ensureIdentityKeys(dir, ['gateway']);
    writeFileSync(files.privateKeyFile('gateway'), '{"kty":"OKP"}');
    expect(() => ensureIdentityKeys(dir, ['gateway'])).toThrow(
      `${files.privateKeyFile('gateway')} is not an Ed25519 private JWK; delete it to get a new key`,
    );
  });
});

test('signUserToken refuses any key but the gateway key', async () => {
  const files = ensureIdentityKeys(dir, ['hitl']);
  await expect(
    signUserToken(privateKeyOf(files, 'hitl'), { id: 'u', name: 'U', roles: [], audience: 'hitl' }),
  ).rejects.toThrow(`user tokens are signed with the gateway's key, not with "hitl"'s`);
});
