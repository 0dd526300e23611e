import { randomBytes } from 'node:crypto';

let counter = 0;

/**
 * A name no other test, worker or process uses at the same time: for queues, exchanges and
 * databases. Lowercase letters, digits and `_` only, so it is valid everywhere (MongoDB database
 * names forbid `/\. "$*<>:|?` and are limited to 64 bytes), and short enough to read in logs.
 */
export function uniqueName(prefix: string): string {
  const safePrefix =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24) || 'test';
  counter += 1;
  const suffix = `${process.pid.toString(36)}_${counter.toString(36)}${randomBytes(3).toString('hex')}`;
  return `${safePrefix}_${suffix}`;
}

const SCHEME = /^(mongodb(?:\+srv)?:\/\/)(.*)$/s;
const FORBIDDEN_IN_DB_NAME = /[/\\. "$*<>:|?\0]/;

/**
 * Points a mongodb:// URL at another database, keeping hosts, credentials and query parameters
 * (`?directConnection=true`, `authSource`, ...). Works on multi-host URLs, which `new URL()` rejects.
 */
export function mongoUrlForDatabase(baseUrl: string, db: string): string {
  if (!db || FORBIDDEN_IN_DB_NAME.test(db)) {
    throw new Error(`not a valid MongoDB database name: ${JSON.stringify(db)}`);
  }
  const match = SCHEME.exec(baseUrl.trim());
  if (!match) throw new Error(`not a mongodb:// or mongodb+srv:// URL: ${baseUrl}`);
  const [, scheme, rest = ''] = match;
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const query = queryAt === -1 ? '' : rest.slice(queryAt);
  // Credentials must percent-encode '/', so the first '/' ends the host list.
  const pathAt = beforeQuery.indexOf('/');
  const hosts = pathAt === -1 ? beforeQuery : beforeQuery.slice(0, pathAt);
  if (!hosts) throw new Error(`mongodb URL has no host: ${baseUrl}`);
  return `${scheme}${hosts}/${db}${query}`;
}
