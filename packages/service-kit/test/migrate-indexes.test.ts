import { requiredEnv, uniqueName } from '@delivery/testing';
import { type Connection, Schema } from 'mongoose';
import { connectMongo } from '../src/mongo/connect.js';
import type { AnyModel } from '../src/mongo/declared-indexes.js';
import { connectionIndexOptions, IndexesNotMigratedError, prepareIndexes } from '../src/mongo/index-mode.js';
import { MIGRATIONS_COLLECTION } from '../src/mongo/index-record.js';
import { migrateIndexes } from '../src/mongo/migrate-indexes.js';

// Two versions of one service's code on the same database: each its own connection, so each
// compiles its own models under the same names. Connected as a `require` process would be, so
// nothing is built unless a test builds it.

/** The models of a version, once per connection, as the services' model functions do. */
const modelsOf =
  (orders: Schema, events: Schema) =>
  (connection: Connection): AnyModel[] => [
    connection.models.Order ?? connection.model('Order', orders),
    connection.models.Event ?? connection.model('Event', events),
  ];

const events = new Schema({ at: Date }, { collection: 'events' });
events.index({ at: 1 }, { expireAfterSeconds: 0 });

const ordersV1 = new Schema({ key: String, customer: String, placedAt: Date }, { collection: 'orders' });
ordersV1.index({ key: 1 }, { unique: true });
ordersV1.index({ customer: 1, placedAt: -1 });
const version1 = modelsOf(ordersV1, events);

/** The next version: the customer index gone, a new one on placedAt, the unique one now sparse. */
const ordersV2 = new Schema({ key: String, customer: String, placedAt: Date }, { collection: 'orders' });
ordersV2.index({ key: 1 }, { unique: true, sparse: true });
ordersV2.index({ placedAt: -1 });
const version2 = modelsOf(ordersV2, events);

const dbName = uniqueName('migrate');
const connections: Connection[] = [];
async function connect(): Promise<Connection> {
  const connection = await connectMongo(requiredEnv('MONGO_URL'), {
    dbName,
    ...connectionIndexOptions('require'),
  });
  connections.push(connection);
  return connection;
}

/** The database's own list: `<collection>: <name> <options>`, the `_id` indexes aside. */
async function indexesIn(connection: Connection, collection: string): Promise<string[]> {
  const indexes = await connection
    .collection(collection)
    .indexes()
    .catch(() => []);
  return indexes
    .filter((index) => index.name !== '_id_')
    .map(({ name, unique, sparse, expireAfterSeconds }) =>
      [
        name,
        unique && 'unique',
        sparse && 'sparse',
        expireAfterSeconds !== undefined && `ttl ${expireAfterSeconds}`,
      ]
        .filter(Boolean)
        .join(' '),
    )
    .sort();
}

async function record(connection: Connection) {
  return connection.collection(MIGRATIONS_COLLECTION).findOne({ _id: 'indexes' as never });
}

afterAll(async () => {
  await connections[0]?.dropDatabase();
  await Promise.all(connections.map((connection) => connection.close()));
});

describe('migrateIndexes and MONGO_INDEXES=require', () => {
  let v1: Connection;
  let v1Fingerprint: string;

  beforeAll(async () => {
    v1 = await connect();
  });

  it('under require, compiling the models builds nothing, and a start is refused before any migration', async () => {
    const refused = prepareIndexes(v1, version1, 'require');
    await expect(refused).rejects.toThrow(IndexesNotMigratedError);
    await expect(refused).rejects.toThrow(/were never migrated.*run npm run migrate/);
    expect(await indexesIn(v1, 'orders')).toEqual([]);
    expect(await indexesIn(v1, 'events')).toEqual([]);
  });

  it('builds every declared index and records the fingerprint and when it ran', async () => {
    const at = new Date('2030-01-02T03:04:05Z');
    const migration = await migrateIndexes(v1, version1(v1), () => at);
    expect(migration.changed).toBe(true);
    expect(migration.previous).toBeNull();
    expect(migration.dropped).toEqual([]);
    expect(migration.created.sort()).toEqual([
      'events: {"at":1} {"expireAfterSeconds":0}',
      'orders: {"customer":1,"placedAt":-1}',
      'orders: {"key":1} {"unique":true}',
    ]);
    expect(await indexesIn(v1, 'orders')).toEqual(['customer_1_placedAt_-1', 'key_1 unique']);
    expect(await indexesIn(v1, 'events')).toEqual(['at_1 ttl 0']);
    const recorded = await record(v1);
    expect(recorded).toMatchObject({ fingerprint: migration.fingerprint, appliedAt: at });
    expect(recorded?.history).toHaveLength(1);
    v1Fingerprint = migration.fingerprint;
  });

  it('lets a require start through once migrated', async () => {
    await expect(prepareIndexes(v1, version1, 'require')).resolves.toBeUndefined();
  });

  it('changes nothing when run again, the record included', async () => {
    const before = await record(v1);
    const migration = await migrateIndexes(v1, version1(v1), () => new Date('2031-01-01T00:00:00Z'));
    expect(migration).toMatchObject({ changed: false, created: [], dropped: [], previous: v1Fingerprint });
    expect(await record(v1)).toEqual(before);
    expect(await indexesIn(v1, 'orders')).toEqual(['customer_1_placedAt_-1', 'key_1 unique']);
  });

  it('refuses code whose declaration changed, until its own migration ran', async () => {
    const v2 = await connect();
    const refused = prepareIndexes(v2, version2, 'require');
    await expect(refused).rejects.toThrow(IndexesNotMigratedError);
    await expect(refused).rejects.toThrow(/another version's \(recorded [0-9a-f]{12}\).*run npm run migrate/);

    const migration = await migrateIndexes(v2, version2(v2));
    expect(migration.previous).toBe(v1Fingerprint);
    expect(migration.fingerprint).not.toBe(v1Fingerprint);
    // Gone: the index no longer declared, and the unique one whose options changed (built anew).
    expect(migration.dropped.sort()).toEqual(['orders.customer_1_placedAt_-1', 'orders.key_1']);
    expect(await indexesIn(v2, 'orders')).toEqual(['key_1 unique sparse', 'placedAt_-1']);
    expect(await indexesIn(v2, 'events')).toEqual(['at_1 ttl 0']);
    expect((await record(v2))?.history).toHaveLength(2);

    await expect(prepareIndexes(v2, version2, 'require')).resolves.toBeUndefined();
    // And the previous version is now the one refused: its indexes are gone.
    await expect(prepareIndexes(v1, version1, 'require')).rejects.toThrow(IndexesNotMigratedError);
  });
});
