import { uniqueName } from '@delivery/testing';
import mongoose, { type Connection } from 'mongoose';
import { ConflictError } from '../http/errors.js';
import { CHANGED_MEANWHILE, ContendedError, compareAndSwap, MAX_ROUNDS } from './compare-and-swap.js';

test('a round that wins answers at once', async () => {
  let rounds = 0;
  const answer = await compareAndSwap('doc 1', async () => {
    rounds += 1;
    return 'written';
  });
  expect(answer).toBe('written');
  expect(rounds).toBe(1);
});

test('a round that lost the race runs again on fresh state, and its answer is the one that won', async () => {
  const seen: number[] = [];
  const answer = await compareAndSwap('doc 1', async (attempt) => {
    seen.push(attempt);
    return attempt < 3 ? CHANGED_MEANWHILE : `won on ${attempt}`;
  });
  expect(answer).toBe('won on 3');
  expect(seen).toEqual([1, 2, 3]);
});

test('a write that never matches gives up after MAX_ROUNDS with a 503 naming the document, not for ever', async () => {
  let rounds = 0;
  const never = compareAndSwap('job 42', async () => {
    rounds += 1;
    return CHANGED_MEANWHILE;
  });
  await expect(never).rejects.toBeInstanceOf(ContendedError);
  await expect(never).rejects.toMatchObject({
    status: 503,
    code: 'contended',
    message: expect.stringMatching(/^job 42 kept changing .*\(20 tries\); try again$/),
    details: { rounds: MAX_ROUNDS },
  });
  expect(rounds).toBe(MAX_ROUNDS);
});

test('the bound can be set per call', async () => {
  let rounds = 0;
  await expect(
    compareAndSwap(
      'doc',
      async () => {
        rounds += 1;
        return CHANGED_MEANWHILE;
      },
      { maxRounds: 3 },
    ),
  ).rejects.toMatchObject({ details: { rounds: 3 } });
  expect(rounds).toBe(3);
});

test('a refusal thrown by the decision ends it at once, as it is', async () => {
  let rounds = 0;
  const refused = new ConflictError('cannot cancel a job that is SUCCESS');
  await expect(
    compareAndSwap('job 1', async () => {
      rounds += 1;
      throw refused;
    }),
  ).rejects.toBe(refused);
  expect(rounds).toBe(1);
});

describe('against the real store', () => {
  let connection: Connection;
  const counters = () => connection.collection<{ _id: string; version: number; value: number }>('counters');

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL as string, { dbName: uniqueName('cas') })
      .asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** Adds one to the counter conditional on the version read; `interfere` runs between read and write. */
  const increment = (id: string, interfere: () => Promise<unknown>) =>
    compareAndSwap(`counter ${id}`, async () => {
      const read = await counters().findOne({ _id: id });
      if (!read) throw new Error('missing');
      await interfere();
      const written = await counters().updateOne(
        { _id: id, version: read.version },
        { $set: { value: read.value + 1 }, $inc: { version: 1 } },
      );
      return written.modifiedCount === 1 ? read.value + 1 : CHANGED_MEANWHILE;
    });

  const bump = (id: string) => counters().updateOne({ _id: id }, { $inc: { version: 1, value: 10 } });

  test('a writer that lost to others decides again on what they wrote', async () => {
    await counters().insertOne({ _id: 'a', version: 0, value: 0 });
    let interferences = 2;
    const value = await increment('a', async () => {
      if (interferences-- > 0) await bump('a');
    });
    // Both interfering writes (+10 each) are kept, and ours lands on top of them.
    expect(value).toBe(21);
    expect(await counters().findOne({ _id: 'a' })).toMatchObject({ value: 21, version: 3 });
  });

  test('a writer that always loses stops after MAX_ROUNDS, having written nothing', async () => {
    await counters().insertOne({ _id: 'b', version: 0, value: 0 });
    await expect(increment('b', () => bump('b'))).rejects.toBeInstanceOf(ContendedError);
    expect(await counters().findOne({ _id: 'b' })).toMatchObject({
      value: 10 * MAX_ROUNDS,
      version: MAX_ROUNDS,
    });
  });
});
