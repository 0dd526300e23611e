import mongoose, { type Connection } from 'mongoose';
import { NotReadyError } from '../http/readiness.js';

export interface MongoOptions {
  dbName?: string;
  maxPoolSize?: number;
  /** Whether mongoose creates collections and builds indexes by itself (see index-mode.ts). */
  autoIndex?: boolean;
  autoCreate?: boolean;
}

/**
 * A dedicated connection (not mongoose's global one) so each store owns its
 * own. Timeouts are short so a dead server shows up in readiness within a few
 * seconds instead of requests queueing behind it.
 */
export async function connectMongo(
  url: string,
  { dbName, maxPoolSize = 20, autoIndex = true, autoCreate = true }: MongoOptions = {},
): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    ...(dbName ? { dbName } : {}),
    autoIndex,
    autoCreate,
    maxPoolSize,
    minPoolSize: 0,
    connectTimeoutMS: 5000,
    serverSelectionTimeoutMS: 5000,
    socketTimeoutMS: 30_000,
    heartbeatFrequencyMS: 1000,
  });
  return connection.asPromise();
}

/** A collection nobody writes: reading it still goes through the store's backend, not just its socket. */
const PROBE_COLLECTION = 'readiness_probe';

/**
 * Readiness check: a real round trip, a read through the store, because a server can answer
 * `ping` while its storage is dead. Fails fast when the driver already knows the server is gone;
 * Readiness bounds it with its own timeout. The reason is a code; the driver's message is
 * kept as the cause, for the log.
 */
export function mongoReadiness(connection: Connection): () => Promise<void> {
  return async () => {
    const db = connection.db;
    if (!db || connection.readyState !== mongoose.ConnectionStates.connected) {
      throw new NotReadyError('mongo_unreachable', {
        cause: new Error(`state ${mongoose.ConnectionStates[connection.readyState]}`),
      });
    }
    try {
      await db.command({ ping: 1 });
      await db.collection(PROBE_COLLECTION).findOne({}, { projection: { _id: 1 } });
    } catch (error) {
      throw new NotReadyError('mongo_unreachable', { cause: error });
    }
  };
}
