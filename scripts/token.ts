/**
 * `npm run token -- --roles admin[,operator] [--id u1] [--name "Ann"] [--audience hitl] [--ttl 3600]`
 *
 * Prints a user token signed with the gateway key that `npm start` uses (under .data/identity,
 * created if missing), for calling the services directly until the gateway exists:
 *
 *   curl -H "Authorization: Bearer $(npm run -s token -- --roles operator)" localhost:4001/jobs
 */
import { runTokenCli } from '@delivery/service-kit/identity';
import { localIdentityDir } from './local-identity.js';

await runTokenCli(process.argv.slice(2), localIdentityDir());
