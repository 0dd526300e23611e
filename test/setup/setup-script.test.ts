import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// scripts/setup.sh decides from `apt-cache policy` whether the distribution offers Chromium. It runs
// under `set -euo pipefail`, where a reader that stops early (grep -q) kills apt-cache with SIGPIPE
// and the pipeline fails: a fresh Debian machine then took the Ubuntu path and tried to download
// a browser, which cannot work here. The function is run as setup.sh defines it, against an
// apt-cache that answers at length, as the real one does for a package with many versions.

const setupScript = readFileSync(fileURLToPath(new URL('../../scripts/setup.sh', import.meta.url)), 'utf8');
const aptOffers = /^apt_offers\(\) \{\n[\s\S]*?^\}$/m.exec(setupScript)?.[0];

let fakeBin: string;
beforeAll(() => {
  fakeBin = mkdtempSync(join(tmpdir(), 'fake-apt-'));
  const answer = (candidate: string) =>
    `chromium:\n  Installed: (none)\n  Candidate: ${candidate}\n  Version table:\n${'     1.0-1 500\n'.repeat(20_000)}`;
  writeFileSync(join(fakeBin, 'offered.txt'), answer('156.0.8078.129-1~deb12u1'));
  writeFileSync(join(fakeBin, 'missing.txt'), answer('(none)'));
  writeFileSync(join(fakeBin, 'apt-cache'), `#!/bin/sh\ncat "${fakeBin}/$APT_ANSWER.txt"\n`);
  chmodSync(join(fakeBin, 'apt-cache'), 0o755);
});
afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));

function offers(answer: 'offered' | 'missing'): boolean {
  const script = `set -euo pipefail\napt_update_once() { :; }\n${aptOffers}\nif apt_offers chromium; then echo yes; else echo no; fi`;
  const said = execFileSync('bash', ['-c', script], {
    env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}`, APT_ANSWER: answer },
    encoding: 'utf8',
  });
  return said.trim() === 'yes';
}

test('setup.sh defines apt_offers', () => {
  expect(aptOffers).toContain('apt-cache policy');
});

test('a package with a candidate is offered, however long apt-cache goes on after the candidate', () => {
  expect(offers('offered')).toBe(true);
});

test('a package whose candidate is (none) is not offered', () => {
  expect(offers('missing')).toBe(false);
});
