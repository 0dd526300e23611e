// Prints a developer's token signed with the gateway key in IDENTITY_KEYS_DIR (compose's `token`
// service: `docker compose run --rm token --roles admin`).
import { runTokenCli } from '../token-cli.js';

const dir = process.env.IDENTITY_KEYS_DIR;
if (!dir) {
  process.stderr.write('IDENTITY_KEYS_DIR: the directory of the identity keys is required\n');
  process.exit(2);
}
await runTokenCli(process.argv.slice(2), dir);
