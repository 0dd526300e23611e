import { type OutboxEntry, outboxEntrySchema } from '@delivery/messaging';
import { uniqueName } from '@delivery/testing';
import mongoose, { type Connection, type Model, Schema } from 'mongoose';
import {
  type ClaimAttempt,
  givenBackFields,
  LEASE_RELEASED,
  type Lease,
  LeasedQueue,
  type QueueShape,
  requeuedFields,
} from './leased-queue.js';

/**
 * The queue against the real store, on a document of its own (not a service's: its own status
 * names and counters), with a clock the test moves so "the lease expired" is a fact of the test.
 */
interface Task {
  _id: string;
  status: 'waiting' | 'working' | 'done';
  correlationId: string;
  tries: number;
  /** Counted by a "not now, later" that keeps `tries` (as a deferred run does). */
  postponements: number;
  dueAt: Date;
  priority: number;
  dispatchedAt: Date | null;
  lockedBy: string | null;
  leaseToken: string | null;
  leaseExpiresAt: Date | null;
  startedAt: Date | null;
  stopAsked: boolean;
  outcome: string | null;
  outbox: OutboxEntry[];
}

const shape: QueueShape<Task> = {
  queued: 'waiting',
  running: 'working',
  attempt: 'tries',
  due: 'dueAt',
  sameWait: ['postponements'],
  dispatchOrder: { priority: -1, dueAt: 1 },
};

const taskSchema = new Schema<Task>(
  {
    _id: String,
    status: String,
    correlationId: String,
    tries: Number,
    postponements: Number,
    dueAt: Date,
    priority: Number,
    dispatchedAt: Date,
    lockedBy: String,
    leaseToken: String,
    leaseExpiresAt: Date,
    startedAt: Date,
    stopAsked: Boolean,
    outcome: String,
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { versionKey: false, minimize: false },
);

let connection: Connection;
let model: Model<Task>;
let now = new Date('2026-06-01T12:00:00Z');
const clock = () => now;
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};
let written: { id: string; routingKeys: string[] }[] = [];
const queue = (over: Model<Task> = model, at: () => Date = clock) =>
  new LeasedQueue<Task>({
    model: over,
    shape,
    clock: at,
    written: (id, entries) => written.push({ id, routingKeys: entries.map((entry) => entry.routingKey) }),
  });

const entry = (routingKey: string, id: string): OutboxEntry => ({
  destination: 'command',
  routingKey,
  envelope: { id: `${routingKey}:${id}` } as never,
});
const dispatchMessage = (task: { _id: string }) => entry('tasks.dispatch', task._id);

beforeAll(async () => {
  connection = await mongoose
    .createConnection(process.env.MONGO_URL as string, { dbName: uniqueName('leased_queue') })
    .asPromise();
  model = connection.model<Task>('Task', taskSchema);
  await model.init();
});
beforeEach(async () => {
  await model.deleteMany({});
  written = [];
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

let sequence = 0;
async function waiting(overrides: Partial<Task> = {}): Promise<Task> {
  sequence += 1;
  const task: Task = {
    _id: `task-${sequence}`,
    status: 'waiting',
    correlationId: `c-${sequence}`,
    tries: 0,
    postponements: 0,
    dueAt: now,
    priority: 0,
    dispatchedAt: now,
    lockedBy: null,
    leaseToken: null,
    leaseExpiresAt: null,
    startedAt: null,
    stopAsked: false,
    outcome: null,
    outbox: [],
    ...overrides,
  };
  await model.collection.insertOne(task as never);
  return task;
}

const stored = async (id: string) => (await model.findById(id).lean<Task>()) as Task;
const fence = (lease: Lease<Task>) => ({ id: lease.item._id, leaseToken: lease.leaseToken });

async function claimed(id: string, workerId: string, leaseMs = 5_000, on = queue()): Promise<Lease<Task>> {
  const attempt = await on.claim(id, workerId, { leaseMs });
  if (attempt.status !== 'claimed') throw new Error(`expected to claim ${id}, got ${attempt.status}`);
  return attempt.lease;
}

/** The model, with `landsFirst` run once just before the first updateOne: another writer's write between a read and its write. */
function withWriteBetweenReadAndUpdate(target: Model<Task>, landsFirst: () => Promise<unknown>): Model<Task> {
  let pending: (() => Promise<unknown>) | undefined = landsFirst;
  return new Proxy(target, {
    get(inner, property) {
      if (property === 'updateOne')
        return async (...args: Parameters<Model<Task>['updateOne']>) => {
          const interloper = pending;
          pending = undefined;
          await interloper?.();
          return inner.updateOne(...args);
        };
      const value = Reflect.get(inner, property);
      return typeof value === 'function' ? value.bind(inner) : value;
    },
  });
}

describe('claim', () => {
  test('workers racing for one item: exactly one wins, with a fencing token of its own', async () => {
    const task = await waiting();
    const attempts = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((worker) =>
        queue().claim(task._id, worker, {
          leaseMs: 5_000,
          extras: (read, attempt, at) => ({
            set: { outcome: `claimed by ${worker}` },
            outbox: [entry('tasks.started', `${read._id}:${attempt}:${at.getTime()}`)],
          }),
        }),
      ),
    );
    const won = attempts.filter((attempt): attempt is Extract<ClaimAttempt<Task>, { status: 'claimed' }> => {
      return attempt.status === 'claimed';
    });
    expect(won).toHaveLength(1);
    expect(attempts.filter((attempt) => attempt.status === 'skipped')).toHaveLength(3);
    const [{ lease }] = won as [(typeof won)[number]];
    expect(lease.leaseToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(await stored(task._id)).toMatchObject({
      status: 'working',
      tries: 1,
      lockedBy: lease.item.lockedBy,
      leaseToken: lease.leaseToken,
      leaseExpiresAt: new Date(now.getTime() + 5_000),
      startedAt: now,
      dispatchedAt: null,
      outcome: `claimed by ${lease.item.lockedBy}`,
    });
    expect(lease.item).toMatchObject({ status: 'working', tries: 1 });
    expect(lease.item).not.toHaveProperty('outbox');
    // Only the winner's announcement was written, and reported.
    expect((await stored(task._id)).outbox.map((e) => e.routingKey)).toEqual(['tasks.started']);
    expect(written).toEqual([{ id: task._id, routingKeys: ['tasks.started'] }]);
  });

  test('an item not waiting (running, done, missing) is skipped', async () => {
    const task = await waiting();
    await claimed(task._id, 'first');
    expect(await queue().claim(task._id, 'second', { leaseMs: 5_000 })).toEqual({ status: 'skipped' });
    expect(await queue().claim('nothing-here', 'second', { leaseMs: 5_000 })).toEqual({ status: 'skipped' });
    const done = await waiting({ status: 'done' });
    expect(await queue().claim(done._id, 'second', { leaseMs: 5_000 })).toEqual({ status: 'skipped' });
  });

  test('a worker whose clock runs behind claims an item due within the skew allowance', async () => {
    const task = await waiting();
    const behind = queue(model, () => new Date(now.getTime() - 3_000));
    expect((await behind.claim(task._id, 'behind', { leaseMs: 5_000, skewAllowanceMs: 5_000 })).status).toBe(
      'claimed',
    );
  });

  test('an item not yet due by the worker clock is handed back to the sweep, not dropped', async () => {
    const task = await waiting();
    const farBehind = queue(model, () => new Date(now.getTime() - 60_000));
    expect(await farBehind.claim(task._id, 'far-behind', { leaseMs: 5_000, skewAllowanceMs: 5_000 })).toEqual(
      {
        status: 'not-due',
        dueInMs: 60_000,
      },
    );
    expect(await stored(task._id)).toMatchObject({ status: 'waiting', tries: 0, dispatchedAt: null });
    // The sweep sends it again on its next pass, not after the re-dispatch delay.
    expect(await queue().dispatchDue(10, 10 * 60_000, dispatchMessage)).toEqual([task._id]);
  });

  test('a not-due hand-back decided on one wait leaves the next wait alone', async () => {
    const task = await waiting();
    const farBehind = queue(
      withWriteBetweenReadAndUpdate(model, () =>
        // Postponed meanwhile (same tries, a new wait) and dispatched for it.
        model.updateOne({ _id: task._id }, { $inc: { postponements: 1 }, $set: { dispatchedAt: now } }),
      ),
      () => new Date(now.getTime() - 60_000),
    );
    expect((await farBehind.claim(task._id, 'far-behind', { leaseMs: 5_000 })).status).toBe('not-due');
    expect(await stored(task._id)).toMatchObject({ postponements: 1, dispatchedAt: now });
  });
});

describe('heartbeat and fenced writes', () => {
  test('a heartbeat extends the lease while it is held, and reports the fields asked for', async () => {
    const task = await waiting();
    const lease = await claimed(task._id, 'w', 5_000);
    advance(4_000);
    expect(await queue().heartbeat(fence(lease), 5_000, ['stopAsked'])).toEqual({
      _id: task._id,
      stopAsked: false,
    });
    expect((await stored(task._id)).leaseExpiresAt).toEqual(new Date(now.getTime() + 5_000));
    await model.updateOne({ _id: task._id }, { $set: { stopAsked: true } });
    expect(await queue().heartbeat(fence(lease), 5_000, ['stopAsked'])).toMatchObject({ stopAsked: true });
  });

  test('a worker that lost its lease cannot heartbeat or overwrite the result of the worker that took over', async () => {
    const task = await waiting();
    const slow = await claimed(task._id, 'slow', 5_000);
    advance(6_000);
    expect(
      await queue().expireLeases(10, 0, (item, at) => ({
        update: { $set: { ...requeuedFields(shape, at, null), outcome: `lost ${item.lockedBy}` } },
      })),
    ).toEqual([task._id]);
    expect(await queue().heartbeat(fence(slow), 5_000)).toBeUndefined();

    const fresh = await claimed(task._id, 'fresh', 5_000);
    expect(fresh.item.tries).toBe(2);
    const done = { $set: { ...LEASE_RELEASED, status: 'done', outcome: 'by fresh' } };
    expect(await queue().record(fence(fresh), done)).toBe(true);
    expect(await queue().record(fence(slow), { $set: { status: 'done', outcome: 'by slow' } })).toBe(false);
    expect(await stored(task._id)).toMatchObject({ status: 'done', outcome: 'by fresh', leaseToken: null });
  });

  test('a fenced write also holds to the conditions given, and reports the messages it wrote', async () => {
    const task = await waiting();
    const lease = await claimed(task._id, 'w');
    written = [];
    const finish = {
      $set: { ...LEASE_RELEASED, status: 'done', outcome: 'finished' },
      $push: { outbox: entry('tasks.done', task._id) },
    };
    await model.updateOne({ _id: task._id }, { $set: { stopAsked: true } });
    expect(await queue().record(fence(lease), finish, { stopAsked: false })).toBe(false);
    expect(written).toEqual([]);
    expect(await queue().record(fence(lease), finish, { stopAsked: true })).toBe(true);
    expect(written).toEqual([{ id: task._id, routingKeys: ['tasks.done'] }]);
  });

  test('work given back is waiting and dispatched at once, its attempt not counted', async () => {
    const task = await waiting();
    const lease = await claimed(task._id, 'leaving');
    const giveBack = {
      $set: givenBackFields(shape, lease.item, now),
      $push: { outbox: dispatchMessage(lease.item) },
    };
    expect(await queue().record(fence(lease), giveBack)).toBe(true);
    expect(await stored(task._id)).toMatchObject({
      status: 'waiting',
      tries: 0,
      dueAt: now,
      dispatchedAt: now,
      lockedBy: null,
      leaseToken: null,
      leaseExpiresAt: null,
    });
    expect(await queue().record(fence(lease), giveBack)).toBe(false);
    expect((await claimed(task._id, 'next')).item.tries).toBe(1);
  });

  test('a dispatch handed back (the worker is stopping) is sent again on the next pass', async () => {
    const task = await waiting();
    expect(await queue().dispatchDue(10, 60_000, dispatchMessage)).toEqual([]); // dispatched at creation
    await queue().handBack(task._id);
    expect(await stored(task._id)).toMatchObject({ status: 'waiting', dispatchedAt: null });
    expect(await queue().dispatchDue(10, 60_000, dispatchMessage)).toEqual([task._id]);

    // Running work is not the hand-back's to touch.
    const lease = await claimed(task._id, 'w');
    await queue().handBack(task._id);
    expect(await stored(task._id)).toMatchObject({ status: 'working', leaseToken: lease.leaseToken });
  });
});

describe('the sweep', () => {
  const requeue = (item: Task, at: Date) => ({
    update: { $set: { ...requeuedFields(shape, at, null), outcome: `worker ${item.lockedBy} vanished` } },
  });

  test('a lease counts as expired only the clock-skew allowance after its end', async () => {
    const task = await waiting();
    await claimed(task._id, 'vanished', 5_000);
    advance(5_001);
    expect(await queue().expireLeases(10, 2_000, requeue)).toEqual([]);
    advance(2_000);
    expect(await queue().expireLeases(10, 2_000, requeue)).toEqual([task._id]);
    expect(await stored(task._id)).toMatchObject({
      status: 'waiting',
      leaseToken: null,
      lockedBy: null,
      outcome: 'worker vanished vanished',
    });
    expect(await queue().expireLeases(10, 2_000, requeue)).toEqual([]); // once
  });

  test('a heartbeat landing between the sweep reading an expired lease and writing it wins', async () => {
    const task = await waiting();
    const lease = await claimed(task._id, 'late-beater', 5_000);
    advance(5_001);
    const racing = queue(withWriteBetweenReadAndUpdate(model, () => queue().heartbeat(fence(lease), 5_000)));
    expect(await racing.expireLeases(10, 0, requeue)).toEqual([]);
    expect(await stored(task._id)).toMatchObject({ status: 'working', lockedBy: 'late-beater' });
  });

  test('what the expiry decided on must still hold at its write', async () => {
    const task = await waiting();
    await claimed(task._id, 'vanished', 5_000);
    advance(5_001);
    const decidedOnNoStop = (item: Task, at: Date) => ({
      ...requeue(item, at),
      stillAsRead: { stopAsked: item.stopAsked },
    });
    const racing = queue(
      withWriteBetweenReadAndUpdate(model, () =>
        model.updateOne({ _id: task._id }, { $set: { stopAsked: true } }),
      ),
    );
    expect(await racing.expireLeases(10, 0, decidedOnNoStop)).toEqual([]);
    expect(await queue().expireLeases(10, 0, decidedOnNoStop)).toEqual([task._id]);
  });

  test('due items are dispatched once, again only when stale, most urgent first', async () => {
    const later = new Date(now.getTime() + 10_000);
    const low = await waiting({ dueAt: later, dispatchedAt: null, priority: -5 });
    const high = await waiting({ dueAt: later, dispatchedAt: null, priority: 50 });
    expect(await queue().dispatchDue(10, 60_000, dispatchMessage)).toEqual([]); // not due yet
    advance(10_000);
    expect(await queue().dispatchDue(1, 60_000, dispatchMessage)).toEqual([high._id]);
    expect(await queue().dispatchDue(1, 60_000, dispatchMessage)).toEqual([low._id]);
    expect(await queue().dispatchDue(10, 60_000, dispatchMessage)).toEqual([]); // already dispatched
    expect((await stored(high._id)).outbox.map((e) => e.routingKey)).toEqual(['tasks.dispatch']);
    expect(written.map((w) => w.id)).toEqual([high._id, low._id]);
    advance(61_000); // nobody claimed them for a minute: the messages must have been lost
    expect((await queue().dispatchDue(10, 60_000, dispatchMessage)).sort()).toEqual(
      [high._id, low._id].sort(),
    );
  });

  test('sweeps racing to dispatch one item: one dispatch', async () => {
    const task = await waiting({ dispatchedAt: null });
    const passes = await Promise.all([1, 2, 3].map(() => queue().dispatchDue(10, 60_000, dispatchMessage)));
    expect(passes.flat()).toEqual([task._id]);
    expect((await stored(task._id)).outbox).toHaveLength(1);
  });
});
