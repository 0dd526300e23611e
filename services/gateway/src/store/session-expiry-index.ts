import type { Connection } from 'mongoose';

/**
 * Sessions used to have a plain index on `expiresAt`; they now expire by a TTL index on the same
 * key, which MongoDB refuses to build beside the old one (IndexOptionsConflict). Drops the old
 * one, if there, before the models build their indexes. Idempotent: replicas starting together
 * may each try, and a missing collection or index is fine.
 */
export async function dropPlainSessionExpiryIndex(connection: Connection): Promise<boolean> {
  const sessions = connection.collection('sessions');
  const indexes = await sessions.indexes().catch(() => []);
  const plain = indexes.find(
    (index) =>
      index.key.expiresAt === 1 &&
      Object.keys(index.key).length === 1 &&
      index.expireAfterSeconds === undefined,
  );
  if (!plain?.name) return false;
  await sessions.dropIndex(plain.name).catch(() => undefined);
  return true;
}
