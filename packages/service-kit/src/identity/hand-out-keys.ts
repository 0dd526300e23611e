import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type IdentityKeys, PUBLIC_KEYS_FILE_NAME, privateKeyFileName, writeAtomically } from './keys.js';

/** The folder of a hand-out that holds the public keys alone. */
export const PUBLIC_KEYS_FOLDER = 'public';

/**
 * Copies the keys out for holders that must each see only what is theirs (docker compose mounts
 * each folder as a volume of its own into the containers of one service): the public keys in
 * `<dir>/public/`, and each name's private key in `<dir>/<name>/`, only where that folder exists.
 * Who receives a private key is thus decided by what is mounted, never by default. Returns the
 * names whose key was handed out.
 */
export function handOutIdentityKeys(keys: IdentityKeys, dir: string): string[] {
  const publicDir = join(dir, PUBLIC_KEYS_FOLDER);
  mkdirSync(publicDir, { recursive: true });
  writeAtomically(
    join(publicDir, PUBLIC_KEYS_FILE_NAME),
    `${JSON.stringify(keys.publicKeys, null, 2)}\n`,
    0o644,
  );
  const holders = Object.keys(keys.privateKeys).filter((name) => existsSync(join(dir, name)));
  for (const name of holders) {
    writeAtomically(
      join(dir, name, privateKeyFileName(name)),
      `${JSON.stringify(keys.privateKeys[name])}\n`,
      0o600,
    );
  }
  return holders;
}
