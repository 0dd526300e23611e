import mongoose, { type Connection } from 'mongoose';

export interface MongoOptions {
  dbName?: string;
  maxPoolSize?: number;
}

/**
 * A dedicated connection (not mongoose's global one) so each store owns its
 * own. Timeouts are short so a dead server shows up in readiness within a few
 * seconds instead of requests queueing behind it.
 */
export async function connectMongo(
  url: string,
  { dbName, maxPoolSize = 20 }: MongoOptions = {},
): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    ...(dbName ? { dbName } : {}),
    maxPoolSize,
    minPoolSize: 0,
    connectTimeoutMS: 5000,
    serverSelectionTimeoutMS: 5000,
    socketTimeoutMS: 30_000,
    heartbeatFrequencyMS: 1000,
  });
  return connection.asPromise();
}

/**
 * Readiness check: a round trip to the server, failing fast when the driver
 * already knows it is gone. Readiness bounds it with its own timeout.
 */
export function mongoReadiness(connection: Connection): () => Promise<void> {
  return async () => {
    const db = connection.db;
    if (!db || connection.readyState !== mongoose.ConnectionStates.connected) {
      throw new Error(`mongo not connected (state ${mongoose.ConnectionStates[connection.readyState]})`);
    }
    await db.command({ ping: 1 });
  };
}
