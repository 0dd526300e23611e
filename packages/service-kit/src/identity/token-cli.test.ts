import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwksSchema } from './jwk.js';
import { PUBLIC_KEYS_FILE_NAME } from './keys.js';
import { tokenCli } from './token-cli.js';
import { createIdentityVerifier } from './verifier.js';

const dir = join(mkdtempSync(join(tmpdir(), 'token-cli-')), 'identity');
afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const verifierFor = (audience: string) =>
  createIdentityVerifier({
    publicKeys: jwksSchema.parse(JSON.parse(readFileSync(join(dir, PUBLIC_KEYS_FILE_NAME), 'utf8'))),
    audience,
  });

test('prints a gateway-signed user token the services accept, for all of them by default', async () => {
  const result = await tokenCli(['--roles', 'admin,operator', '--id', 'u-1', '--name', 'Ann Lee'], dir);
  if (!result.ok) throw new Error(result.problem);
  for (const audience of ['job-runner', 'template-blueprint', 'hitl', 'pipeline']) {
    expect(await verifierFor(audience).verify(result.token)).toEqual({
      kind: 'user',
      id: 'u-1',
      name: 'Ann Lee',
      roles: ['admin', 'operator'],
    });
  }
});

test('narrows the audience when asked, and refuses what it cannot sign', async () => {
  const narrow = await tokenCli(['--roles', 'operator', '--audience', 'hitl', '--ttl', '60'], dir);
  if (!narrow.ok) throw new Error(narrow.problem);
  await expect(verifierFor('hitl').verify(narrow.token)).resolves.toMatchObject({ id: 'dev-user' });
  await expect(verifierFor('job-runner').verify(narrow.token)).rejects.toThrow(
    'the token is not for job-runner',
  );

  expect(await tokenCli([], dir)).toEqual({ ok: false, problem: expect.stringMatching(/^--roles: /) });
  expect(await tokenCli(['--roles', 'Admin'], dir)).toEqual({
    ok: false,
    problem: expect.stringMatching(/^--roles/),
  });
  expect(await tokenCli(['--roles', 'admin', '--audience', 'billing'], dir)).toMatchObject({ ok: false });
  expect(await tokenCli(['--roles', 'admin', '--ttl', '0'], dir)).toMatchObject({ ok: false });
  expect(await tokenCli(['--roles', 'admin', '--root'], dir)).toEqual({
    ok: false,
    problem: expect.stringContaining("Unknown option '--root'"),
  });
});
