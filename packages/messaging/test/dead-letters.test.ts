import type { Broker } from '../src/broker.js';
import {
  DeadLetterNotFoundError,
  DeadLetterQueueMissingError,
  DeadLetters,
  UnknownDeadLetterQueueError,
} from '../src/dead-letters.js';
import { PublishRejectedError, UnprocessableMessageError, UnroutableError } from '../src/errors.js';
import { deadLetterQueueName, type Topology } from '../src/topology.js';
import {
  connectBroker,
  deleteTopology,
  isolatedTopology,
  orderPlaced,
  publishRaw,
  waitFor,
  withOwnChannel,
} from './broker-fixture.js';

let topology: Topology;
let broker: Broker;
let deadLetters: DeadLetters;
let failing = true;
let refused = 0;
const handled: { orderId: string; routingKey: string }[] = [];
const queue = () => topology.queues[0]?.name as string;
const dlq = () => deadLetterQueueName(queue());

const dlqLength = () => withOwnChannel(async (channel) => (await channel.checkQueue(dlq())).messageCount);

async function start(bounds?: Topology['queues'][number]['deadLetters']) {
  const base = isolatedTopology([]);
  topology = { ...base, queues: base.queues.map((spec) => ({ ...spec, deadLetters: bounds })) };
  broker = await connectBroker(topology);
  deadLetters = new DeadLetters(broker, topology);
  await broker.consume({
    queue: queue(),
    messages: [orderPlaced],
    handle: async (message, context) => {
      if (failing) {
        refused += 1;
        throw new UnprocessableMessageError(`no shop for ${message.payload.orderId}`);
      }
      handled.push({ orderId: message.payload.orderId, routingKey: context.routingKey });
    },
  });
}

/** Publishes orders the handler refuses, and waits until they are all dead-lettered. */
async function deadLetter(...orderIds: string[]) {
  const ids: string[] = [];
  for (const orderId of orderIds) {
    const envelope = orderPlaced.create({ orderId, amount: 1 });
    ids.push(envelope.id);
    await broker.publishEvent(envelope);
  }
  await waitFor(
    async () => (await dlqLength()) >= orderIds.length,
    10_000,
    `${orderIds.length} dead letters`,
  );
  return ids;
}

beforeEach(() => {
  failing = true;
  refused = 0;
  handled.length = 0;
});

afterEach(async () => {
  await broker.close();
  await deleteTopology(topology);
});

test('listing shows each dead letter with its reason, origin and failure times, and keeps it', async () => {
  await start();
  const [id] = await deadLetter('o-1');
  const first = await deadLetters.list(10);
  expect(first).toEqual([
    {
      queue: dlq(),
      count: 1,
      messages: [
        {
          id,
          type: orderPlaced.type,
          reason: 'UnprocessableMessageError: no shop for o-1',
          originalExchange: topology.eventsExchange,
          originalRoutingKey: 'shop.order.placed.v1',
          firstFailureAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          lastFailureAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ],
    },
  ]);
  // Reading again (and again) loses nothing.
  expect(await deadLetters.list(10)).toEqual(first);
  await waitFor(async () => (await dlqLength()) === 1, 5_000, 'the dead letter back in its queue');
});

test('replaying one by id delivers it to its consumer with the original routing key, then removes it', async () => {
  await start();
  const [keep, replay] = (await deadLetter('keep', 'replay')) as [string, string];
  failing = false;
  expect(await deadLetters.replay(dlq(), { id: replay })).toEqual([replay]);
  await waitFor(() => handled.length === 1, 10_000, 'the replayed message handled');
  expect(handled).toEqual([{ orderId: 'replay', routingKey: 'shop.order.placed.v1' }]);
  const [left] = await deadLetters.list(10);
  expect(left?.messages.map((message) => message.id)).toEqual([keep]);
});

test('replaying all delivers every dead letter once and empties the queue', async () => {
  await start();
  const ids = await deadLetter('a', 'b', 'c');
  failing = false;
  expect((await deadLetters.replay(dlq(), { all: true })).sort()).toEqual([...ids].sort());
  await waitFor(() => handled.length === 3, 10_000, 'every replayed message handled');
  expect(handled.map((message) => message.orderId).sort()).toEqual(['a', 'b', 'c']);
  expect(await dlqLength()).toBe(0);
});

test('a replay that cannot publish leaves the dead letter where it was', async () => {
  await start();
  const [id] = (await deadLetter('stuck')) as [string];
  // The original queue is gone, so the replay's publish is unroutable.
  await withOwnChannel((channel) => channel.deleteQueue(queue()));
  await expect(deadLetters.replay(dlq(), { id })).rejects.toBeInstanceOf(UnroutableError);
  await waitFor(async () => (await dlqLength()) === 1, 5_000, 'the dead letter still there');
  const [listed] = await deadLetters.list(10);
  expect(listed?.messages.map((message) => message.id)).toEqual([id]);
});

/** A topology of two queues and no consumer: dead letters are put straight into the first's DLQ. */
async function startWithoutConsumer() {
  const base = isolatedTopology([]);
  const first = base.queues[0] as Topology['queues'][number];
  const second = { ...first, name: `${first.name}.second`, bindings: ['shop.order.second.v1'] };
  topology = { ...base, queues: [first, second] };
  broker = await connectBroker(topology);
  deadLetters = new DeadLetters(broker, topology);
  await publishRaw('', dlq(), '{"dead":"letter"}');
  await waitFor(async () => (await dlqLength()) === 1, 5_000, 'the dead letter in its queue');
  return { secondDlq: deadLetterQueueName(second.name) };
}

test('a dead-letter queue that cannot be read is reported with an error; the others are still listed', async () => {
  const { secondDlq } = await startWithoutConsumer();
  await withOwnChannel((channel) => channel.deleteQueue(secondDlq)); // as an operator might
  expect(await deadLetters.list(10)).toEqual([
    { queue: dlq(), count: 1, messages: [expect.objectContaining({ reason: 'unknown' })] },
    { queue: secondDlq, count: null, messages: [], error: 'queue_missing' },
  ]);
  await expect(deadLetters.replay(secondDlq, { all: true })).rejects.toBeInstanceOf(
    DeadLetterQueueMissingError,
  );
});

test('a replay the destination refuses (nack) leaves the dead letter where it was', async () => {
  await startWithoutConsumer();
  // The original queue, now full for good: the broker nacks whatever is published to it.
  await withOwnChannel(async (channel) => {
    await channel.deleteQueue(queue());
    await channel.assertQueue(queue(), {
      arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish', 'x-expires': 60_000 },
    });
  });
  await expect(deadLetters.replay(dlq(), { all: true })).rejects.toBeInstanceOf(PublishRejectedError);
  await waitFor(async () => (await dlqLength()) === 1, 5_000, 'the dead letter still there');
});

test('unknown queues and ids are refused', async () => {
  await start();
  await expect(deadLetters.replay('someone.elses.dlq', { all: true })).rejects.toBeInstanceOf(
    UnknownDeadLetterQueueError,
  );
  await expect(deadLetters.replay(dlq(), { id: 'nope' })).rejects.toBeInstanceOf(DeadLetterNotFoundError);
});

test('a dead-letter queue is bounded by length: the oldest are dropped', async () => {
  await start({ maxLength: 2 });
  const ids: string[] = [];
  for (const orderId of ['1', '2', '3']) {
    const envelope = orderPlaced.create({ orderId, amount: 1 });
    ids.push(envelope.id);
    await broker.publishEvent(envelope);
  }
  const newest = JSON.stringify(ids.slice(1));
  let held: string[] = [];
  await waitFor(
    async () => {
      held = ((await deadLetters.list(10))[0]?.messages ?? []).map((message) => message.id);
      return refused === 3 && JSON.stringify(held) === newest;
    },
    10_000,
    'the two newest dead letters, and only them',
  );
});

test('a dead-letter queue is bounded by age', async () => {
  await start({ maxAgeMs: 300 });
  await deadLetter('old');
  await waitFor(async () => (await dlqLength()) === 0, 10_000, 'the expired dead letter gone');
});

test('a dead-letter queue declared before it had bounds is kept with its messages, and the broker still connects', async () => {
  const base = isolatedTopology([]);
  const legacy = deadLetterQueueName(base.queues[0]?.name as string);
  await withOwnChannel((channel) =>
    channel.assertQueue(legacy, { durable: true, arguments: { 'x-queue-type': 'quorum' } }),
  );
  await publishRaw('', legacy, '{"old":"dead letter"}');
  topology = base;
  const warnings: unknown[] = [];
  broker = await connectBroker(topology, {
    logger: { info() {}, error() {}, warn: (entry: unknown) => void warnings.push(entry) },
  });
  expect(warnings).toContainEqual({ queues: [legacy] });
  const [listed] = await new DeadLetters(broker, topology).list(10);
  expect(listed).toMatchObject({ count: 1, messages: [{ reason: 'unknown' }] });
});
