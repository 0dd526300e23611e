import type { Connection } from 'mongoose';
import type { CollectionIndexes } from './declared-indexes.js';

/** The collection, in each service's own database, where `npm run migrate` says what it did. */
export const MIGRATIONS_COLLECTION = 'schema_migrations';
const INDEXES_ID = 'indexes';
/** Past runs kept on the record, newest last: enough to see what the last rollouts changed. */
const HISTORY_KEPT = 20;

export interface IndexRun {
  fingerprint: string;
  appliedAt: Date;
  /** `<collection>: <key JSON> [<options JSON>]` of each index built. */
  created: string[];
  /** `<collection>.<index name>` of each index dropped. */
  dropped: string[];
}

/** The one document of `schema_migrations` about indexes: the last migration, and those before. */
export interface IndexRecord {
  _id: typeof INDEXES_ID;
  fingerprint: string;
  appliedAt: Date;
  /** What the fingerprint is of, so an operator can see which declaration a database has. */
  declared: CollectionIndexes[];
  history: IndexRun[];
}

function migrations(connection: Connection) {
  return connection.collection<IndexRecord>(MIGRATIONS_COLLECTION);
}

/** The fingerprint the last migration recorded, or null when none ran on this database. */
export async function recordedFingerprint(connection: Connection): Promise<string | null> {
  const record = await migrations(connection).findOne(
    { _id: INDEXES_ID },
    { projection: { fingerprint: 1 } },
  );
  return record?.fingerprint ?? null;
}

export async function recordIndexRun(
  connection: Connection,
  run: IndexRun,
  declared: CollectionIndexes[],
): Promise<void> {
  await migrations(connection).updateOne(
    { _id: INDEXES_ID },
    {
      $set: { fingerprint: run.fingerprint, appliedAt: run.appliedAt, declared },
      $push: { history: { $each: [run], $slice: -HISTORY_KEPT } },
    },
    { upsert: true },
  );
}
