import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@delivery/contracts';
import type { Broker } from '../src/broker.js';
import type { Topology } from '../src/topology.js';
import type { TransientSubscribed } from '../src/transient-consumer.js';
import {
  connectBroker,
  deleteTopology,
  orderPlaced,
  publishRaw,
  waitFor,
  withOwnChannel,
} from './broker-fixture.js';

let topology: Topology;
const brokers: Broker[] = [];

beforeEach(() => {
  topology = { eventsExchange: `t-${process.pid}-${randomUUID().slice(0, 8)}.events`, queues: [] };
});

afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
  await deleteTopology(topology);
});

async function replica() {
  const broker = await connectBroker(topology);
  brokers.push(broker);
  const received: string[] = [];
  const subscribed: TransientSubscribed[] = [];
  const dropped: string[] = [];
  const subscription = await broker.consumeTransient({
    namePrefix: 'test.live',
    bindings: ['shop.order.*.v1'],
    messages: [orderPlaced],
    handle: (message) => void received.push(message.payload.orderId),
    onSubscribed: (info) => void subscribed.push(info),
    onDropped: (reason) => void dropped.push(reason),
  });
  return { broker, received, subscribed, dropped, subscription };
}

/** From another connection, an exclusive queue answers 405 (locked) while it exists, 404 once gone. */
const queueExists = (queue: string) =>
  withOwnChannel((channel) => {
    channel.on('error', () => undefined); // the check's answer closes the channel; it is expected
    return channel.checkQueue(queue);
  }).then(
    () => true,
    (error: { code?: number }) => {
      if (error.code === 404) return false;
      if (error.code === 405) return true;
      throw error;
    },
  );

test('every replica gets every event through a queue of its own, which is gone once it stops', async () => {
  const [first, second] = [await replica(), await replica()];
  const firstQueue = first.subscribed[0]?.queue as string;
  expect(first.subscribed).toEqual([{ queue: expect.stringMatching(/^test\.live\./), afterGap: false }]);
  expect(second.subscribed[0]?.queue).not.toBe(firstQueue);

  for (const orderId of ['o-1', 'o-2', 'o-3']) {
    await first.broker.publishEvent(orderPlaced.create({ orderId, amount: 1 }));
  }
  await waitFor(() => first.received.length === 3 && second.received.length === 3, 10_000, 'deliveries');
  expect(first.received).toEqual(['o-1', 'o-2', 'o-3']);
  expect(second.received).toEqual(['o-1', 'o-2', 'o-3']);

  expect(await queueExists(firstQueue)).toBe(true);
  await first.subscription.cancel();
  expect(await queueExists(firstQueue)).toBe(false);
  const secondQueue = second.subscribed[0]?.queue as string;
  await second.broker.close();
  expect(await queueExists(secondQueue)).toBe(false);
});

test('malformed messages are dropped and reported while valid ones keep flowing in order', async () => {
  const live = await replica();
  await live.broker.publishEvent(orderPlaced.create({ orderId: 'before', amount: 1 }));
  await publishRaw(topology.eventsExchange, 'shop.order.placed.v1', '{not json');
  const wrongPayload = createEnvelope('shop.order.placed.v1', 1, { orderId: 'bad', amount: -5 });
  await publishRaw(topology.eventsExchange, 'shop.order.placed.v1', JSON.stringify(wrongPayload));
  await live.broker.publishEvent(orderPlaced.create({ orderId: 'after', amount: 2 }));

  await waitFor(() => live.received.length === 2, 10_000, 'valid deliveries');
  expect(live.received).toEqual(['before', 'after']);
  expect(live.dropped).toEqual([
    expect.stringMatching(/^malformed message: invalid JSON/),
    expect.stringMatching(/^malformed message: schema validation failed: payload\.amount/),
  ]);
});

test('a queue deleted under it is replaced by a fresh one, reported as a gap', async () => {
  const live = await replica();
  const firstQueue = live.subscribed[0]?.queue as string;
  // Only its own connection may delete an exclusive queue (as an operator's force-delete would).
  const channel = await live.broker.openChannel();
  await channel.deleteQueue(firstQueue);
  await channel.close();

  await waitFor(() => live.subscribed.length === 2, 10_000, 'a new subscription');
  expect(live.subscribed[1]).toEqual({ queue: expect.stringMatching(/^test\.live\./), afterGap: true });
  expect(live.subscribed[1]?.queue).not.toBe(firstQueue);
  await waitFor(() => live.broker.detachedConsumers().length === 0, 10_000, 'consumer attached');

  await live.broker.publishEvent(orderPlaced.create({ orderId: 'after-gap', amount: 1 }));
  await waitFor(() => live.received.length === 1, 10_000, 'delivery on the new queue');
  expect(live.received).toEqual(['after-gap']);
});
