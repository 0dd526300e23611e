import type { Connection } from 'mongoose';
import type { IndexMode } from '../config/mongo-indexes.js';
import { type AnyModel, declaredIndexes, indexFingerprint } from './declared-indexes.js';
import { recordedFingerprint } from './index-record.js';

// What MONGO_INDEXES (config/mongo-indexes.ts) means for a process, here alone: the options of
// its connection and what it does about indexes at start.

/** The connection options of a mode: under `require`, mongoose creates no collection or index itself. */
export function connectionIndexOptions(mode: IndexMode): { autoIndex: boolean; autoCreate: boolean } {
  const builds = mode === 'build';
  return { autoIndex: builds, autoCreate: builds };
}

/** Refused start: the database's indexes are not (known to be) the ones this code declares. */
export class IndexesNotMigratedError extends Error {
  constructor(
    readonly recorded: string | null,
    readonly expected: string,
  ) {
    super(
      `MONGO_INDEXES=require and this database's indexes ${
        recorded === null ? 'were never migrated' : `are another version's (recorded ${short(recorded)})`
      }, not this code's (${short(expected)}): run npm run migrate (in an image: node dist/migrate.js) first`,
    );
    this.name = 'IndexesNotMigratedError';
  }
}

export interface PrepareIndexesOptions {
  /** Under `build` only, before the indexes are built: repairs a migration would otherwise make. */
  beforeBuild?: (connection: Connection) => Promise<void>;
}

/**
 * What a process does about its indexes at start, by MONGO_INDEXES: builds them (`build`) or
 * checks that `npm run migrate` recorded this code's declaration (`require`, else throws
 * IndexesNotMigratedError, which stops the start).
 */
export async function prepareIndexes(
  connection: Connection,
  /** Called after beforeBuild: compiling a model starts its index build under `build`. */
  models: (connection: Connection) => AnyModel[],
  mode: IndexMode,
  options: PrepareIndexesOptions = {},
): Promise<void> {
  if (mode === 'build') {
    await options.beforeBuild?.(connection);
    // init() is the build mongoose started when each model was compiled (autoIndex).
    await Promise.all(models(connection).map((model) => model.init()));
    return;
  }
  const expected = indexFingerprint(declaredIndexes(models(connection)));
  const recorded = await recordedFingerprint(connection);
  if (recorded !== expected) throw new IndexesNotMigratedError(recorded, expected);
}

const short = (fingerprint: string) => fingerprint.slice(0, 12);
