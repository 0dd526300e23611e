/**
 * A service's `src/migrate.ts` (`@delivery/service-kit/migrate`): reads its config, builds its
 * indexes (migrateIndexes), says what it did on stdout and exits: 0 when the database is this
 * code's, 1 when it could not be made so. Like boot, it loads mongoose only once config is read,
 * and only inside the function, so the compiled entry (`dist/migrate.js`) passes the build's
 * check that no entry loads mongoose before it is called.
 */
import type { Connection } from 'mongoose';
import type { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import type { AnyModel } from '../mongo/declared-indexes.js';
import type { IndexMigration } from '../mongo/migrate-indexes.js';

interface MigrationConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  SERVICE_NAME: string;
}

export interface MigrationOptions<S extends z.ZodObject> {
  schema: S;
  /** The service's models (its store's list), imported when the migration runs. */
  models: () => Promise<(connection: Connection) => AnyModel[]>;
}

export async function runMigration<S extends z.ZodObject>(options: MigrationOptions<S>): Promise<void> {
  const config = loadConfig(options.schema) as z.infer<S> & MigrationConfig;
  const name = `${config.SERVICE_NAME} (database ${config.MONGO_DB})`;
  const [{ connectMongo }, { migrateIndexes }, models] = await Promise.all([
    import('../mongo/connect.js'),
    import('../mongo/migrate-indexes.js'),
    options.models(),
  ]);
  let connection: Connection | undefined;
  try {
    // Nothing built behind the migration's back: it builds (and drops) every index itself.
    connection = await connectMongo(config.MONGO_URL, {
      dbName: config.MONGO_DB,
      maxPoolSize: 2,
      autoIndex: false,
      autoCreate: false,
    });
    const migration = await migrateIndexes(connection, models(connection));
    process.stdout.write(describeMigration(name, migration));
  } catch (error) {
    process.stderr.write(`${name}: migration failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await connection?.close();
  }
}

/** What a person reads in the Job's log, or from `npm run migrate`. */
export function describeMigration(name: string, migration: IndexMigration): string {
  const short = (fingerprint: string | null) => fingerprint?.slice(0, 12) ?? 'none';
  if (!migration.changed) {
    return `${name}: indexes already this code's (${short(migration.fingerprint)}), nothing changed\n`;
  }
  return [
    `${name}: built ${migration.created.length} indexes, dropped ${migration.dropped.length}; recorded ${short(migration.fingerprint)} (was ${short(migration.previous)})`,
    ...migration.dropped.map((index) => `  dropped ${index}`),
    ...migration.created.map((index) => `  built ${index}`),
    '',
  ].join('\n');
}
