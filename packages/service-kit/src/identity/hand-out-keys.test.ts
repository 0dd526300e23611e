import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handOutIdentityKeys } from './hand-out-keys.js';
import { jwksSchema, privateJwkSchema } from './jwk.js';
import { ensureIdentityKeys, IDENTITY_KEY_NAMES } from './keys.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'identity-hand-out-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const filesIn = (dir: string) => readdirSync(dir).sort();

describe('handOutIdentityKeys', () => {
  it('gives each holder whose folder exists its own private key alone, and everyone the public keys', () => {
    const keys = ensureIdentityKeys(join(root, 'store'), IDENTITY_KEY_NAMES);
    const out = join(root, 'out');
    for (const name of ['gateway', 'pipeline']) mkdirSync(join(out, name), { recursive: true });

    expect(handOutIdentityKeys(keys, out)).toEqual(['gateway', 'pipeline']);

    expect(filesIn(out)).toEqual(['gateway', 'pipeline', 'public']);
    expect(filesIn(join(out, 'public'))).toEqual(['public-keys.jwks.json']);
    const jwks = jwksSchema.parse(
      JSON.parse(readFileSync(join(out, 'public', 'public-keys.jwks.json'), 'utf8')),
    );
    expect(jwks).toEqual(keys.publicKeys);
    for (const name of ['gateway', 'pipeline']) {
      expect(filesIn(join(out, name))).toEqual([`${name}.private.jwk.json`]);
      const file = join(out, name, `${name}.private.jwk.json`);
      expect(privateJwkSchema.parse(JSON.parse(readFileSync(file, 'utf8')))).toEqual(keys.privateKeys[name]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });

  it('hands out the same keys again on every run, so a restart changes nothing', () => {
    const keys = ensureIdentityKeys(join(root, 'store'), ['gateway']);
    const out = join(root, 'out');
    mkdirSync(join(out, 'gateway'), { recursive: true });
    handOutIdentityKeys(keys, out);
    const file = join(out, 'gateway', 'gateway.private.jwk.json');
    const first = readFileSync(file, 'utf8');

    handOutIdentityKeys(ensureIdentityKeys(join(root, 'store'), ['gateway']), out);

    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(filesIn(join(out, 'gateway'))).toEqual(['gateway.private.jwk.json']);
  });
});
