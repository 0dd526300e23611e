import type { Envelope } from '@delivery/contracts';
import { mongoUrlForDatabase, uniqueName } from '@delivery/testing';
import amqp from 'amqplib';
import mongoose, { type Connection } from 'mongoose';
import type { Broker } from '../src/broker.js';
import {
  brokerPublisher,
  eventEntry,
  type OutboxEntry,
  type PublishEntry,
  WITHOUT_OUTBOX_FIELDS,
} from '../src/outbox.js';
import { OutboxRelay, type OutboxRelayOptions } from '../src/outbox-relay.js';
import type { Topology } from '../src/topology.js';
import {
  amqpUrl,
  connectBroker,
  deleteTopology,
  drainQueue,
  isolatedTopology,
  orderPlaced,
  waitFor,
} from './broker-fixture.js';
import { orderModel } from './outbox-fixture.js';

let topology: Topology;
let broker: Broker;
let connection: Connection;
const relays: OutboxRelay[] = [];
const queue = () => topology.queues[0]?.name as string;
const Order = () => orderModel(connection);

beforeAll(async () => {
  const url = mongoUrlForDatabase(process.env.MONGO_URL as string, uniqueName('outbox-relay'));
  connection = await mongoose.createConnection(url).asPromise();
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

beforeEach(async () => {
  topology = isolatedTopology();
  broker = await connectBroker(topology);
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await Order().deleteMany({});
  await broker.close();
  await deleteTopology(topology);
});

function startRelay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  const relay = new OutboxRelay({ model: Order(), publish: brokerPublisher(broker), ...options });
  relays.push(relay);
  relay.start();
  return relay;
}

/** The real publisher, counting the attempts to publish each envelope and listing those confirmed. */
function countingPublisher() {
  const attempts = new Map<string, number>();
  const publish = brokerPublisher(broker);
  const confirmed: string[] = [];
  const counting: PublishEntry = async (entry) => {
    attempts.set(entry.envelope.id, (attempts.get(entry.envelope.id) ?? 0) + 1);
    await publish(entry);
    confirmed.push(entry.envelope.id);
  };
  const attemptsAt = (entry: OutboxEntry) => attempts.get(entry.envelope.id) ?? 0;
  return { publish: counting, attemptsAt, confirmed };
}

const placed = (orderId: string, amount = 1) => eventEntry(orderPlaced.create({ orderId, amount }));

/** Everything that reached the test queue, in arrival order, until `count` distinct envelopes came. */
async function received(count: number, timeoutMs = 20_000): Promise<Envelope[]> {
  const messages: Envelope[] = [];
  await waitFor(
    async () => {
      const batch = await drainQueue(queue());
      messages.push(...batch.map((message) => JSON.parse(message.content.toString()) as Envelope));
      return new Set(messages.map((message) => message.id)).size >= count;
    },
    timeoutMs,
    `${count} envelopes on the queue`,
  );
  return messages;
}

/** Each envelope's first delivery, in arrival order. */
const firstDeliveries = (messages: Envelope[]) =>
  messages.filter((message, index) => messages.findIndex((other) => other.id === message.id) === index);

async function relayFields(id: unknown) {
  return (await Order().collection.findOne({ _id: id as never })) as unknown as {
    outbox: OutboxEntry[];
    outboxSequence?: number;
    outboxFailures?: number;
    outboxRetryAt?: Date;
    outboxLastError?: string;
    outboxLockedBy?: string;
  };
}

test('a newer entry waits while an older one of its document cannot be published; then both go out in order', async () => {
  const { publish, attemptsAt, confirmed } = countingPublisher();
  const backoff = { firstDelayMs: 200, maxDelayMs: 400 };
  const relay = startRelay({ publish, pollIntervalMs: 100, scanGraceMs: 0, backoff });
  const { _id } = await Order().create({ orderId: 'o-1', outbox: [] });
  // A command for a queue that does not exist yet: the broker returns it, unpublishable for now.
  const lateQueue = `${queue()}.late`;
  const older: OutboxEntry = { ...placed('o-1', 1), destination: 'command', routingKey: lateQueue };
  await Order().updateOne({ _id }, { $push: { outbox: older } });
  relay.publishWritten(_id, [older]);
  await waitFor(() => attemptsAt(older) >= 1, 10_000, 'a try of the older entry');

  const newer = placed('o-1', 2);
  await Order().updateOne({ _id }, { $push: { outbox: newer } });
  relay.publishWritten(_id, [newer]);
  const early: Envelope[] = [];
  await waitFor(
    async () => {
      early.push(...(await drainQueue(queue())).map((m) => JSON.parse(m.content.toString()) as Envelope));
      return early.length > 0 || attemptsAt(older) >= 3;
    },
    10_000,
    'the newer entry published, or the older one failing again',
  );
  expect(early.map((message) => message.id)).toEqual([]);

  const connection = await amqp.connect(amqpUrl());
  const channel = await connection.createChannel();
  await channel.assertQueue(lateQueue, { arguments: { 'x-expires': 60_000 } });
  try {
    const [newerSent] = await received(1);
    const [olderSent] = await drainQueue(lateQueue);
    const sent = [olderSent && JSON.parse(olderSent.content.toString()), newerSent];
    expect(
      sent.map((message) => ({ id: message?.id, subject: message?.subject, sequence: message?.sequence })),
    ).toEqual([
      { id: older.envelope.id, subject: String(_id), sequence: 1 },
      { id: newer.envelope.id, subject: String(_id), sequence: 2 },
    ]);
    expect(confirmed).toEqual([older.envelope.id, newer.envelope.id]);
  } finally {
    await channel.deleteQueue(lateQueue);
    await connection.close();
  }
  await waitFor(async () => (await relayFields(_id)).outbox.length === 0, 10_000, 'an empty outbox');
  const settled = await relayFields(_id);
  expect(settled).toMatchObject({ outboxSequence: 2 });
  expect(settled).not.toHaveProperty('outboxFailures');
  expect(settled).not.toHaveProperty('outboxRetryAt');
  expect(settled).not.toHaveProperty('outboxLockedBy');
  const shown = await Order().collection.findOne({ _id }, { projection: WITHOUT_OUTBOX_FIELDS });
  expect(Object.keys(shown ?? {}).sort()).toEqual(['__v', '_id', 'orderId']);
});

test('two relays writing one document concurrently publish every entry in order, none left to the scan', async () => {
  // The scan runs once at start and then not for a minute: only publishWritten can publish.
  const pair = [startRelay({ pollIntervalMs: 60_000 }), startRelay({ pollIntervalMs: 60_000 })];
  const { _id } = await Order().create({ orderId: 'o-2', outbox: [] });
  const written: string[][] = [[], []];
  await Promise.all(
    pair.map(async (relay, writer) => {
      for (let step = 1; step <= 25; step += 1) {
        const entry = placed(`writer-${writer}`, step);
        await Order().updateOne({ _id }, { $push: { outbox: entry } });
        written[writer]?.push(entry.envelope.id);
        relay.publishWritten(_id, [entry]);
      }
    }),
  );

  const messages = await received(50, 15_000);
  const first = firstDeliveries(messages);
  expect(first.map((message) => message.sequence)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  expect(new Set(first.map((message) => message.subject))).toEqual(new Set([String(_id)]));
  const sequenceOf = new Map(first.map((message) => [message.id, message.sequence as number]));
  for (const ids of written) {
    const sequences = ids.map((id) => sequenceOf.get(id) as number);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  }
  // A repeated delivery carries the sequence of the first.
  for (const message of messages) expect(message.sequence).toBe(sequenceOf.get(message.id));
  await waitFor(async () => (await relayFields(_id)).outbox.length === 0, 10_000, 'an empty outbox');
  expect(await relayFields(_id)).toMatchObject({ outboxSequence: 50 });
});

test('entries published by a relay that then hangs go out again with the same ids and sequences', async () => {
  const publish = brokerPublisher(broker);
  // Publishes, then never removes: as a process that dies between the confirm and the removal.
  const hangAfterPublishing: PublishEntry = async (entry) => {
    await publish(entry);
    await new Promise(() => undefined);
  };
  const hung = startRelay({
    publish: hangAfterPublishing,
    lockMs: 300,
    publishTimeoutMs: 100,
    pollIntervalMs: 60_000,
    drainTimeoutMs: 200,
  });
  const entries = [placed('o-3', 1), placed('o-3', 2)];
  const { _id } = await Order().create({ orderId: 'o-3', outbox: entries });
  hung.publishWritten(_id, entries);
  const [first] = await received(1);
  expect(first).toMatchObject({ id: entries[0]?.envelope.id, sequence: 1 });

  startRelay({ pollIntervalMs: 100, scanGraceMs: 0 }); // takes over once the hung relay's lock expires
  const messages = [first as Envelope, ...(await received(2))];
  expect(messages.map(({ id, sequence }) => ({ id, sequence }))).toEqual([
    { id: entries[0]?.envelope.id, sequence: 1 },
    { id: entries[0]?.envelope.id, sequence: 1 },
    { id: entries[1]?.envelope.id, sequence: 2 },
  ]);
  await waitFor(async () => (await relayFields(_id)).outbox.length === 0, 10_000, 'an empty outbox');
  expect(await relayFields(_id)).toMatchObject({ outboxSequence: 2 });
});

test('a relay whose publishes are slow renews its lock in time: no other relay publishes its entries meanwhile', async () => {
  const { publish, attemptsAt, confirmed } = countingPublisher();
  // Each publish takes a while (as against a slow broker), well within the publish timeout.
  const slow: PublishEntry = async (entry) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publish(entry);
  };
  const entries = Array.from({ length: 12 }, (_, step) => placed('slow', step + 1));
  const { _id } = await Order().create({ orderId: 'slow', outbox: entries });
  // Its lock lasts for a few publishes only, far fewer than the document holds.
  const holder = startRelay({
    publish: slow,
    publishTimeoutMs: 2_000,
    lockMs: 3_000,
    pollIntervalMs: 60_000,
  });
  holder.publishWritten(_id, entries);
  await waitFor(() => attemptsAt(entries[0] as OutboxEntry) === 1, 10_000, 'the first publish begun');
  // A second relay looks constantly for a document whose lock expired.
  startRelay({ publish, pollIntervalMs: 20, scanGraceMs: 0 });

  const messages = await received(entries.length);
  await waitFor(async () => (await relayFields(_id)).outbox.length === 0, 20_000, 'an empty outbox');
  await new Promise((resolve) => setTimeout(resolve, 500)); // a late copy would arrive by now
  messages.push(...(await drainQueue(queue())).map((m) => JSON.parse(m.content.toString()) as Envelope));
  expect(messages.map(({ id, sequence }) => ({ id, sequence }))).toEqual(
    entries.map((entry, index) => ({ id: entry.envelope.id, sequence: index + 1 })),
  );
  expect(entries.map(attemptsAt)).toEqual(entries.map(() => 1));
  expect(confirmed).toEqual(entries.map((entry) => entry.envelope.id));
  expect(await relayFields(_id)).toMatchObject({ outboxSequence: entries.length });
});

test('a lock no longer than one publish may take is refused', () => {
  expect(
    () =>
      new OutboxRelay({ model: Order(), publish: async () => undefined, publishTimeoutMs: 500, lockMs: 500 }),
  ).toThrow(/lockMs/);
});

test('a document whose oldest entry cannot be published waits, tried ever less often, while the others go on', async () => {
  const { publish, attemptsAt } = countingPublisher();
  // A command for a queue that does not exist, ahead of an event on the same document.
  const stuck: OutboxEntry = { ...placed('stuck'), destination: 'command', routingKey: `${queue()}.nowhere` };
  const blocked = await Order().create({ orderId: 'stuck', outbox: [stuck, placed('stuck', 2)] });
  const others = [];
  for (let order = 0; order < 5; order += 1) {
    others.push(await Order().create({ orderId: `o-${order}`, outbox: [placed(`o-${order}`)] }));
  }
  // One document per batch, polled constantly: the scan would spin on the first it finds.
  startRelay({ publish, batchSize: 1, pollIntervalMs: 20, scanGraceMs: 0 });

  const messages = await received(5);
  expect(new Set(messages.map((message) => message.subject))).toEqual(
    new Set(others.map((order) => String(order._id))),
  );
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  // With 1 s doubling, a handful of tries even on a slow machine; without backoff, hundreds.
  expect(attemptsAt(stuck)).toBeLessThanOrEqual(10);
  const later = await drainQueue(queue());
  expect(later.filter((message) => message.content.toString().includes(String(blocked._id)))).toEqual([]);
  const waiting = await relayFields(blocked._id);
  expect(waiting.outbox).toHaveLength(2);
  expect(waiting.outboxFailures).toBeGreaterThanOrEqual(1);
  expect(waiting.outboxRetryAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);
  expect(waiting.outboxLastError).toEqual(expect.any(String));
});

test('stop and drain end within their bound while a document cannot be published', async () => {
  const publish = brokerPublisher(broker);
  // As a broker that never confirms (blocked by a resource alarm): the publish never settles.
  const stall: PublishEntry = (entry) =>
    entry.envelope.payload && (entry.envelope.payload as { orderId: string }).orderId === 'stalled'
      ? new Promise(() => undefined)
      : publish(entry);
  const stalled = await Order().create({ orderId: 'stalled', outbox: [placed('stalled')] });
  const stuck: OutboxEntry = { ...placed('stuck'), destination: 'command', routingKey: `${queue()}.nowhere` };
  await Order().create({ orderId: 'stuck', outbox: [stuck] });
  const fine = await Order().create({ orderId: 'fine', outbox: [placed('fine')] });

  const relay = startRelay({ publish: stall, batchSize: 1, pollIntervalMs: 60_000, drainTimeoutMs: 1_000 });
  relay.publishWritten(stalled._id, stalled.outbox);
  const ended = (work: Promise<void>) =>
    Promise.race([
      work.then(() => 'ended'),
      new Promise((resolve) => setTimeout(resolve, 20_000, 'hung').unref()),
    ]);
  expect(await ended(relay.stop())).toBe('ended');
  expect(await ended(relay.drain())).toBe('ended');
  expect((await received(1)).map((message) => message.subject)).toEqual([String(fine._id)]);
});

test('the embedded store matches arrays by $size, which the relay relies on', async () => {
  await Order().create({ orderId: 'sized', outbox: [placed('sized'), placed('sized', 2)] });
  expect(await Order().collection.countDocuments({ orderId: 'sized', outbox: { $size: 2 } })).toBe(1);
  expect(await Order().collection.countDocuments({ orderId: 'sized', outbox: { $size: 1 } })).toBe(0);
});

test('the backlog counts the documents with entries to publish and dates the oldest entry', async () => {
  const relay = new OutboxRelay({ model: Order(), publish: brokerPublisher(broker) }); // not started
  expect(await relay.backlog()).toEqual({
    collection: Order().collection.collectionName,
    documents: 0,
    oldestAt: undefined,
  });

  const entryAt = (orderId: string, occurredAt: string) => {
    const entry = placed(orderId);
    return { ...entry, envelope: { ...entry.envelope, occurredAt } };
  };
  await Order().create([
    {
      orderId: 'o-1',
      outbox: [entryAt('o-1', '2026-01-01T10:00:05.000Z'), entryAt('o-1', '2026-01-01T10:00:09.000Z')],
    },
    { orderId: 'o-2', outbox: [entryAt('o-2', '2026-01-01T10:00:02.000Z')] },
    { orderId: 'o-3', outbox: [] },
  ]);
  expect(await relay.backlog()).toMatchObject({
    documents: 2,
    oldestAt: new Date('2026-01-01T10:00:02.000Z'),
  });

  startRelay();
  await received(3);
  await waitFor(async () => (await relay.backlog()).documents === 0, 10_000, 'the backlog published');
  expect((await relay.backlog()).oldestAt).toBeUndefined();
});
