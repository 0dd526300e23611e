// Pins down what the embedded store does and does not do compared with real MongoDB, so the
// README stays true and a library upgrade that changes behaviour shows up here first.
// "Not supported" cases assert today's behaviour of the embedded store, not MongoDB's.
import mongoose, { type Connection } from 'mongoose';
import { type EmbeddedMongo, startEmbeddedMongo } from '../src/index.js';

describe('embedded store feature support', () => {
  let mongo: EmbeddedMongo;
  let conn: Connection;
  let db: NonNullable<Connection['db']>;

  beforeAll(async () => {
    mongo = await startEmbeddedMongo({ backend: 'memory' });
    conn = await mongoose.createConnection(`${mongo.url}/features`).asPromise();
    if (!conn.db) throw new Error('no db handle');
    db = conn.db;
  });

  afterAll(async () => {
    await conn?.close();
    await mongo?.stop();
  });

  describe('supported', () => {
    it('$setOnInsert with upsert sets fields only when inserting', async () => {
      const c = db.collection('upserts');
      await c.updateOne({ key: 'k' }, { $setOnInsert: { created: 1 }, $set: { seen: 1 } }, { upsert: true });
      await c.updateOne({ key: 'k' }, { $setOnInsert: { created: 2 }, $set: { seen: 2 } }, { upsert: true });
      expect(await c.findOne({ key: 'k' }, { projection: { _id: 0 } })).toEqual({
        key: 'k',
        created: 1,
        seen: 2,
      });
    });

    it('arrayFilters and the positional operators update matching array elements', async () => {
      const c = db.collection('arrays');
      await c.insertOne({
        name: 'a',
        items: [
          { k: 'x', q: 1 },
          { k: 'y', q: 2 },
        ],
      });
      await c.updateOne({ name: 'a' }, { $set: { 'items.$[e].q': 9 } }, { arrayFilters: [{ 'e.k': 'y' }] });
      await c.updateOne({ name: 'a', 'items.k': 'x' }, { $inc: { 'items.$.q': 1 } });
      expect((await c.findOne({ name: 'a' }))?.items).toEqual([
        { k: 'x', q: 2 },
        { k: 'y', q: 9 },
      ]);
    });

    it('a unique index on an array field rejects another document sharing an element', async () => {
      const c = db.collection('unique_arrays');
      await c.createIndex({ tags: 1 }, { unique: true });
      await c.insertOne({ tags: ['a', 'b'] });
      await expect(c.insertOne({ tags: ['b', 'c'] })).rejects.toMatchObject({ code: 11000 });
    });

    it('a sparse unique index allows many documents without the field', async () => {
      const c = db.collection('sparse');
      await c.createIndex({ k: 1 }, { unique: true, sparse: true });
      await c.insertMany([{ x: 1 }, { x: 2 }]);
      await c.insertOne({ k: 1 });
      await expect(c.insertOne({ k: 1 })).rejects.toMatchObject({ code: 11000 });
    });

    it('$lookup (both forms), $group, $unwind, $facet work', async () => {
      await db.collection('owners').insertMany([{ oid: 1 }, { oid: 2 }]);
      await db.collection('pets').insertMany([{ owner: 1 }, { owner: 1 }, { owner: 2 }]);
      const simple = await db
        .collection('owners')
        .aggregate([
          { $lookup: { from: 'pets', localField: 'oid', foreignField: 'owner', as: 'pets' } },
          { $project: { _id: 0, oid: 1, n: { $size: '$pets' } } },
        ])
        .toArray();
      expect(simple).toEqual([
        { oid: 1, n: 2 },
        { oid: 2, n: 1 },
      ]);
      const piped = await db
        .collection('owners')
        .aggregate([
          {
            $lookup: {
              from: 'pets',
              let: { id: '$oid' },
              pipeline: [{ $match: { $expr: { $eq: ['$owner', '$$id'] } } }],
              as: 'pets',
            },
          },
          { $unwind: '$pets' },
          { $group: { _id: '$oid', n: { $sum: 1 } } },
          { $sort: { _id: 1 } },
          { $facet: { all: [{ $count: 'owners' }] } },
        ])
        .toArray();
      expect(piped).toEqual([{ all: [{ owners: 2 }] }]);
    });

    it('findOneAndUpdate honours its conditions and sort', async () => {
      const c = db.collection('claims');
      await c.insertMany([
        { n: 2, status: 'QUEUED' },
        { n: 1, status: 'QUEUED' },
      ]);
      const first = await c.findOneAndUpdate(
        { status: 'QUEUED' },
        { $set: { status: 'RUNNING' } },
        { sort: { n: 1 }, returnDocument: 'after' },
      );
      expect(first).toMatchObject({ n: 1, status: 'RUNNING' });
      const miss = await c.findOneAndUpdate({ n: 1, status: 'QUEUED' }, { $set: { status: 'RUNNING' } });
      expect(miss).toBeNull();
    });
  });

  describe('not supported', () => {
    it('sessions, hence transactions and retryable writes', async () => {
      const session = conn.getClient().startSession();
      try {
        const inTransaction = session.withTransaction(async () => {
          await db.collection('tx').insertOne({ a: 1 }, { session });
        });
        await expect(inTransaction).rejects.toThrow(/does not support sessions/);
      } finally {
        await session.endSession();
      }
    });

    it('change streams', async () => {
      const stream = db.collection('watched').watch();
      await expect(stream.tryNext()).rejects.toThrow();
      await stream.close();
    });

    it('partialFilterExpression: a partial unique index behaves as a full one', async () => {
      const c = db.collection('partial');
      await c.createIndex({ k: 1 }, { unique: true, partialFilterExpression: { k: { $exists: true } } });
      await c.insertOne({ x: 1 });
      // Real MongoDB accepts this: neither document is in the index.
      await expect(c.insertOne({ x: 2 })).rejects.toMatchObject({ code: 11000 });
    });

    it('collation is accepted and ignored', async () => {
      const c = db.collection('collation');
      await c.insertOne({ s: 'Hello' });
      const found = await c.find({ s: 'hello' }).collation({ locale: 'en', strength: 2 }).toArray();
      expect(found).toHaveLength(0);
    });

    it('$text queries (the text index itself can be created)', async () => {
      const c = db.collection('texts');
      await c.createIndex({ s: 'text' });
      await c.insertOne({ s: 'hello world' });
      await expect(c.find({ $text: { $search: 'hello' } }).toArray()).rejects.toThrow();
    });

    it('updates with an aggregation pipeline', async () => {
      const c = db.collection('pipeline_updates');
      await c.insertOne({ name: 'p', a: 1 });
      await expect(c.updateOne({ name: 'p' }, [{ $set: { b: { $add: ['$a', 1] } } }])).rejects.toThrow();
    });

    it('$setWindowFields', async () => {
      const c = db.collection('windows');
      await c.insertOne({ a: 1 });
      await expect(
        c.aggregate([{ $setWindowFields: { sortBy: { a: 1 }, output: { r: { $rank: {} } } } }]).toArray(),
      ).rejects.toThrow(/\$setWindowFields/);
    });

    it('collection validators are accepted and ignored', async () => {
      const c = await db.createCollection('validated', {
        validator: { $jsonSchema: { required: ['x'] } },
      });
      await expect(c.insertOne({ y: 1 })).resolves.toMatchObject({ acknowledged: true });
    });

    it('capped collections, collMod and explain', async () => {
      await expect(db.createCollection('capped', { capped: true, size: 4096 })).rejects.toThrow();
      await expect(db.command({ collMod: 'validated' })).rejects.toThrow(/collMod/);
      await expect(db.collection('validated').find({}).explain()).rejects.toThrow(/explain/);
    });
  });
});
