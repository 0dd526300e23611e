/**
 * The identity keys of this machine's system: under `.data/identity` at the repository root
 * (under DATA_DIR when it is set, as the embedded store's file is). `npm start` creates them on
 * its first run and hands each process its files; `npm run token` signs with the gateway's.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ensureIdentityKeys,
  IDENTITY_KEY_NAMES,
  type IdentityKeyFiles,
} from '@delivery/service-kit/identity';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const localIdentityDir = (): string =>
  join(process.env.DATA_DIR ?? join(repoRoot, '.data'), 'identity');

export const localIdentityKeys = (): IdentityKeyFiles =>
  ensureIdentityKeys(localIdentityDir(), IDENTITY_KEY_NAMES);

/** What a process of `service` gets: the keys it trusts and its own signing key. */
export function identityEnv(keys: IdentityKeyFiles, service: string): Record<string, string> {
  return {
    IDENTITY_PUBLIC_KEYS_FILE: keys.publicKeysFile,
    IDENTITY_SIGNING_KEY_FILE: keys.privateKeyFile(service),
  };
}
