import { createEnvelope, type Envelope } from '@delivery/contracts';
import type { Broker } from '../src/broker.js';
import { DEAD_LETTER_REASON_HEADER, LAST_ERROR_HEADER } from '../src/consumer.js';
import { PublishRejectedError, UnprocessableMessageError, UnroutableError } from '../src/errors.js';
import { deadLetterQueueName, type Topology, unroutedQueueName } from '../src/topology.js';
import {
  connectBroker,
  deleteTopology,
  drainQueue,
  isolatedTopology,
  orderPlaced,
  publishRaw,
  waitFor,
  withOwnChannel,
} from './broker-fixture.js';

let topology: Topology;
let broker: Broker;
const queue = () => topology.queues[0]?.name as string;

/** Waits until the queue's dead-letter queue has held `count` messages; returns them. */
async function deadLetters(count: number, timeoutMs: number) {
  const dead: Awaited<ReturnType<typeof drainQueue>> = [];
  await waitFor(
    async () => {
      dead.push(...(await drainQueue(deadLetterQueueName(queue()))));
      return dead.length >= count;
    },
    timeoutMs,
    `${count} dead letters`,
  );
  return dead;
}

beforeEach(async () => {
  topology = isolatedTopology();
  broker = await connectBroker(topology);
});

afterEach(async () => {
  await broker.close();
  await deleteTopology(topology);
});

test('a confirmed event is consumed once and acked', async () => {
  const received: Envelope[] = [];
  await broker.consume({
    queue: queue(),
    messages: [orderPlaced],
    handle: async (message) => void received.push(message),
  });
  const sent = orderPlaced.create({ orderId: 'o-1', amount: 12 }, { correlationId: 'corr-1' });
  await broker.publishEvent(sent);
  await waitFor(() => received.length === 1, 5_000, 'delivery');
  expect(received[0]).toEqual(sent);
  await broker.close();
  expect(await drainQueue(queue())).toHaveLength(0);
});

test('malformed messages are dead-lettered with their reason while valid ones keep flowing', async () => {
  const received: string[] = [];
  await broker.consume({
    queue: queue(),
    messages: [orderPlaced],
    handle: async (message) => void received.push(message.payload.orderId),
  });
  await broker.publishEvent(orderPlaced.create({ orderId: 'before', amount: 1 }));
  await publishRaw(topology.eventsExchange, 'shop.order.placed.v1', '{not json');
  const wrongPayload = createEnvelope('shop.order.placed.v1', 1, { orderId: 'bad', amount: -5 });
  await publishRaw(topology.eventsExchange, 'shop.order.placed.v1', JSON.stringify(wrongPayload));
  await publishRaw(
    topology.eventsExchange,
    'shop.order.unknown.v1',
    JSON.stringify(createEnvelope('x.y.z.v1', 1, {})),
  );
  await broker.publishEvent(orderPlaced.create({ orderId: 'after', amount: 2 }));

  await waitFor(() => received.length === 2, 5_000, 'valid deliveries');
  expect(received).toEqual(['before', 'after']);
  const dead = await deadLetters(3, 5_000);
  expect(dead.map((message) => String(message.properties.headers?.[DEAD_LETTER_REASON_HEADER]))).toEqual([
    expect.stringMatching(/^invalid JSON/),
    expect.stringMatching(/^schema validation failed: payload\.amount/),
    expect.stringMatching(/^unknown message type "x\.y\.z\.v1"/),
  ]);
});

test('a handler failing twice is retried with growing delay, then acked once', async () => {
  const deliveredAt: number[] = [];
  await broker.consume({
    queue: queue(),
    messages: [orderPlaced],
    handle: async () => {
      deliveredAt.push(Date.now());
      if (deliveredAt.length <= 2) throw new Error(`transient failure ${deliveredAt.length}`);
    },
  });
  await broker.publishEvent(orderPlaced.create({ orderId: 'o-2', amount: 3 }));
  await waitFor(() => deliveredAt.length === 3, 10_000, 'three deliveries');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(deliveredAt).toHaveLength(3);
  const [first, second, third] = deliveredAt as [number, number, number];
  expect(second - first).toBeGreaterThanOrEqual(200);
  expect(third - second).toBeGreaterThanOrEqual(600);
  expect(await drainQueue(deadLetterQueueName(queue()))).toHaveLength(0);
});

test('a handler that always fails ends in the dead-letter queue with its error', async () => {
  let deliveries = 0;
  await broker.consume({
    queue: queue(),
    messages: [orderPlaced],
    handle: async () => {
      deliveries += 1;
      throw new Error('payment service down');
    },
  });
  const sent = orderPlaced.create({ orderId: 'o-3', amount: 4 });
  await broker.publishEvent(sent);
  const dead = await deadLetters(1, 10_000);
  expect(deliveries).toBe(3);
  const headers = dead[0]?.properties.headers ?? {};
  expect(headers[DEAD_LETTER_REASON_HEADER]).toBe('Error: payment service down');
  expect(headers[LAST_ERROR_HEADER]).toBe('Error: payment service down');
  expect(JSON.parse(dead[0]?.content.toString() ?? '{}').id).toBe(sent.id);
});

test('a handler can reject a message it can never process: dead-lettered at once, not retried', async () => {
  let deliveries = 0;
  await broker.consume({
    queue: queue(),
    messages: [orderPlaced],
    handle: async () => {
      deliveries += 1;
      throw new UnprocessableMessageError('order o-4 belongs to no shop');
    },
  });
  await broker.publishEvent(orderPlaced.create({ orderId: 'o-4', amount: 1 }));
  const dead = await deadLetters(1, 5_000);
  expect(deliveries).toBe(1);
  expect(dead[0]?.properties.headers?.[DEAD_LETTER_REASON_HEADER]).toBe(
    'UnprocessableMessageError: order o-4 belongs to no shop',
  );
});

test('a command nobody can receive is an error, not silence', async () => {
  await expect(broker.sendCommand(createEnvelope('nobody.listens', 1, {}))).rejects.toBeInstanceOf(
    UnroutableError,
  );
});

test('a publish the broker refuses (nack) fails at once as PublishRejectedError, not retried', async () => {
  const full = `${queue()}.full`;
  await withOwnChannel((channel) =>
    channel.assertQueue(full, { arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' } }),
  );
  try {
    await expect(broker.sendCommand(createEnvelope('shop.order.place', 1, {}), full)).rejects.toBeInstanceOf(
      PublishRejectedError,
    );
  } finally {
    await withOwnChannel((channel) => channel.deleteQueue(full));
  }
});

test('an event nobody subscribed to is parked in the unrouted queue, not dropped', async () => {
  const event = createEnvelope('nobody.listens.here.v1', 1, {});
  await broker.publishEvent(event);
  const parked = await drainQueue(unroutedQueueName(topology.eventsExchange));
  expect(parked.map((message) => JSON.parse(message.content.toString()).id)).toEqual([event.id]);
});

test('close waits for in-flight handlers, so their messages are acked, not redelivered', async () => {
  let finished = 0;
  let started = 0;
  await broker.consume({
    queue: queue(),
    messages: [orderPlaced],
    handle: async () => {
      started += 1;
      await new Promise((resolve) => setTimeout(resolve, 800));
      finished += 1;
    },
  });
  await broker.publishEvent(orderPlaced.create({ orderId: 'slow', amount: 1 }));
  await waitFor(() => started === 1, 5_000, 'handler start');
  await broker.close();
  expect(finished).toBe(1);
  expect(await drainQueue(queue())).toHaveLength(0);
});
