/**
 * `npm run migrate`: each service's migration (`services/<service>/src/migrate.ts`), one after
 * another, against MONGO_URL; each builds its indexes in its own default database (MONGO_DB and
 * SERVICE_NAME are not passed on: one value would send all five to the same database). Exits 1
 * when any failed, after trying them all. In an image, a service's own is `node dist/migrate.js`;
 * under `npm start` none is needed (MONGO_INDEXES=build: each process builds its own).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every service with a database, in the order they are migrated. */
export const MIGRATED_SERVICES = ['gateway', 'pipeline', 'hitl', 'job-runner', 'template-blueprint'] as const;

const repo = fileURLToPath(new URL('..', import.meta.url));

if (!process.env.MONGO_URL) {
  process.stderr.write(
    'MONGO_URL is required: the MongoDB server whose databases to migrate (npm start needs no migration)\n',
  );
  process.exit(2);
}

const { MONGO_DB: _db, SERVICE_NAME: _name, ...env } = process.env;
const failed: string[] = [];
for (const service of MIGRATED_SERVICES) {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/migrate.ts'], {
      cwd: join(repo, 'services', service),
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) failed.push(service);
}
if (failed.length > 0) {
  process.stderr.write(`migration failed for ${failed.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(`migrated ${MIGRATED_SERVICES.length} services\n`);
