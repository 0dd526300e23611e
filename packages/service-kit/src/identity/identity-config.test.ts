import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKeys } from '@delivery/testing';
import { baseConfigSchema } from '../config/base-schema.js';
import { parseConfig } from '../config/load-config.js';
import { identityVerifierFromConfig, serviceTokensFromConfig } from './from-config.js';
import { identityConfigCheck, identityConfigShape, publicKeysOf } from './identity-config.js';

const schema = baseConfigSchema.extend(identityConfigShape('hitl')).superRefine(identityConfigCheck);
const base = {
  SERVICE_NAME: 'hitl',
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  AMQP_URL: 'amqp://127.0.0.1',
};
const dir = mkdtempSync(join(tmpdir(), 'identity-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problemsOf = (env: Record<string, string>) => {
  const result = parseConfig(schema, { ...base, ...env });
  return result.ok ? [] : result.problems;
};

describe('identity config', () => {
  it('reads the public keys inline or from a file, with the audience and tolerance defaults', () => {
    const file = join(dir, 'jwks.json');
    writeFileSync(file, testKeys.publicKeysJson());
    for (const env of [
      { IDENTITY_PUBLIC_KEYS: testKeys.publicKeysJson() },
      { IDENTITY_PUBLIC_KEYS_FILE: file },
    ]) {
      const result = parseConfig(schema, { ...base, ...env });
      if (!result.ok) throw new Error(result.problems.join('\n'));
      expect(publicKeysOf(result.config)).toEqual(testKeys.publicKeys());
      expect(result.config).toMatchObject({ IDENTITY_AUDIENCE: 'hitl', IDENTITY_CLOCK_TOLERANCE_S: 5 });
      expect(identityVerifierFromConfig(result.config).audience).toBe('hitl');
      expect(serviceTokensFromConfig(result.config, 'hitl')).toBeUndefined();
    }
  });

  it('requires the public keys, naming both ways to give them', () => {
    expect(problemsOf({})).toEqual([
      'config: IDENTITY_PUBLIC_KEYS is required: every request but the probes is verified with it; give it as JSON, or the path of a file holding it as IDENTITY_PUBLIC_KEYS_FILE',
    ]);
  });

  it('names the variable of unparsable, incomplete or unreadable keys', () => {
    expect(problemsOf({ IDENTITY_PUBLIC_KEYS: '{"keys":' })).toEqual([
      expect.stringMatching(/^config: IDENTITY_PUBLIC_KEYS is invalid: is not a JWKS of Ed25519 public keys/),
    ]);
    expect(problemsOf({ IDENTITY_PUBLIC_KEYS: '{"keys":[]}' })).toEqual([
      expect.stringMatching(/^config: IDENTITY_PUBLIC_KEYS is invalid: .*keys: /),
    ]);
    const missing = join(dir, 'nope.json');
    expect(problemsOf({ IDENTITY_PUBLIC_KEYS_FILE: missing })).toEqual([
      `config: IDENTITY_PUBLIC_KEYS_FILE is invalid: cannot read ${missing} (ENOENT)`,
    ]);
    expect(
      problemsOf({
        IDENTITY_PUBLIC_KEYS: testKeys.publicKeysJson(),
        IDENTITY_PUBLIC_KEYS_FILE: join(dir, 'jwks.json'),
      }),
    ).toEqual([
      'config: IDENTITY_PUBLIC_KEYS_FILE is invalid: give IDENTITY_PUBLIC_KEYS or IDENTITY_PUBLIC_KEYS_FILE, not both',
    ]);
  });

  it("takes the service's own signing key only, and never prints key material", () => {
    const keys = { IDENTITY_PUBLIC_KEYS: testKeys.publicKeysJson() };
    const own = parseConfig(schema, {
      ...base,
      ...keys,
      IDENTITY_SIGNING_KEY: testKeys.signingKeyJson('hitl'),
    });
    if (!own.ok) throw new Error(own.problems.join('\n'));
    expect(serviceTokensFromConfig(own.config, 'hitl')?.name).toBe('hitl');

    const other = testKeys.of('pipeline').privateJwk;
    const problems = problemsOf({ ...keys, IDENTITY_SIGNING_KEY: JSON.stringify(other) });
    expect(problems).toEqual([
      'config: IDENTITY_SIGNING_KEY is invalid: is not an Ed25519 private JWK ((root): must be the key of hitl (kid "hitl"))',
    ]);
    const broken = JSON.stringify({ ...testKeys.of('hitl').privateJwk, d: `${other.d.slice(0, 20)}!` });
    const brokenProblems = problemsOf({ ...keys, IDENTITY_SIGNING_KEY: broken });
    expect(brokenProblems).toEqual([
      expect.stringMatching(/^config: IDENTITY_SIGNING_KEY is invalid: .*d: must be 32 bytes/),
    ]);
    expect(JSON.stringify([problems, brokenProblems])).not.toContain(other.d.slice(0, 20));
  });
});
