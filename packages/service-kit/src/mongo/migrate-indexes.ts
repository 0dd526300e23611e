import { isDeepStrictEqual } from 'node:util';
import type { Connection } from 'mongoose';
import { type AnyModel, type DeclaredIndex, declaredIndexes, indexFingerprint } from './declared-indexes.js';
import { type IndexRun, recordedFingerprint, recordIndexRun } from './index-record.js';

export interface IndexMigration extends IndexRun {
  /** The fingerprint recorded before this run, null on a database never migrated. */
  previous: string | null;
  /** False when the indexes and the record were already this code's: the run wrote nothing. */
  changed: boolean;
}

/**
 * Makes the database's indexes what the models declare, then records the declaration's
 * fingerprint (MONGO_INDEXES=require starts only against a database whose record matches).
 *
 * `syncIndexes`, not `createIndexes`: it also drops an index the models no longer declare, and
 * one whose options changed (dropped, then built anew), which is what a migration is for; an
 * index left behind costs every write and, when unique, refuses documents the code now allows.
 * It touches only the models' own collections (GridFS buckets are declared as models where a
 * service has them), so anything else in the database is left alone; but an index added by hand
 * to a model's collection is dropped. A unique index whose data has duplicates fails the build,
 * and the migration with it, before the record moves: the old fingerprint stays, and processes
 * with MONGO_INDEXES=require keep refusing to start until it is fixed.
 *
 * The models run one after another, each one's indexes built by the server in turn: a migration
 * is not in a hurry, the services' traffic on the same server is.
 */
export async function migrateIndexes(
  connection: Connection,
  models: readonly AnyModel[],
  now: () => Date = () => new Date(),
): Promise<IndexMigration> {
  const declared = declaredIndexes(models);
  const fingerprint = indexFingerprint(declared);
  const previous = await recordedFingerprint(connection);
  const created: string[] = [];
  const dropped: string[] = [];
  for (const model of models) {
    const collection = model.collection.collectionName;
    const { toCreate } = await model.diffIndexes();
    const droppedNames = await model.syncIndexes();
    const optionsOf = (key: unknown) =>
      (model.schema.indexes() as DeclaredIndex[]).find(([declared]) => isDeepStrictEqual(declared, key))?.[1];
    created.push(...toCreate.map((key) => describeIndex(collection, key, optionsOf(key))));
    dropped.push(...droppedNames.map((name) => `${collection}.${name}`));
  }
  const run = { fingerprint, appliedAt: now(), created, dropped };
  const changed = previous !== fingerprint || created.length > 0 || dropped.length > 0;
  if (changed) await recordIndexRun(connection, run, declared);
  return { ...run, previous, changed };
}

/** `<collection>: <key> <options>`, e.g. `jobs: {"idempotencyKey":1} {"unique":true}`. */
function describeIndex(collection: string, key: unknown, options: Record<string, unknown> = {}): string {
  const described = `${collection}: ${JSON.stringify(key)}`;
  return Object.keys(options).length > 0 ? `${described} ${JSON.stringify(options)}` : described;
}
