// Creates the identity keys in IDENTITY_KEYS_DIR (kept if there): docker compose's one-shot
// `identity-keys` service runs it before the services start. `npm start` does the same itself.
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
