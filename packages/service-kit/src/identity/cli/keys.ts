// Creates the identity keys in IDENTITY_KEYS_DIR (kept if there): docker compose's one-shot
// `identity-keys` service runs it before the services start. `npm start` does the same itself.
// With IDENTITY_KEYS_HANDOUT_DIR, it also copies them out for containers that may each hold only
// their own private key (see handOutIdentityKeys).
import { handOutIdentityKeys } from '../hand-out-keys.js';
import { ensureIdentityKeys, IDENTITY_KEY_NAMES } from '../keys.js';

const dir = process.env.IDENTITY_KEYS_DIR;
if (!dir) {
  process.stderr.write('IDENTITY_KEYS_DIR: the directory of the identity keys is required\n');
  process.exit(2);
}
const keys = ensureIdentityKeys(dir, IDENTITY_KEY_NAMES);
process.stdout.write(
  `identity keys of ${IDENTITY_KEY_NAMES.join(', ')} in ${dir}; JWKS: ${keys.publicKeysFile}\n`,
);
const handOutDir = process.env.IDENTITY_KEYS_HANDOUT_DIR;
if (handOutDir) {
  const holders = handOutIdentityKeys(keys, handOutDir);
  process.stdout.write(
    `handed out to ${handOutDir}: the public keys, and the private keys of ${holders.join(', ') || 'nobody'}\n`,
  );
}
