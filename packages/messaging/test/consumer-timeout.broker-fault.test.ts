import { rabbitmqctl } from '@delivery/testing';
import type { Broker } from '../src/broker.js';
import type { Topology } from '../src/topology.js';
import { connectBroker, deleteTopology, isolatedTopology, orderPlaced, waitFor } from './broker-fixture.js';

// RabbitMQ closes a consumer's channel (406 PRECONDITION_FAILED) when a delivery stays unacked
// longer than `consumer_timeout`. A channel reads the setting when it opens, so the test lowers
// it for a few seconds only, while its broker opens its channels; the broker node itself puts
// the old value back (even if this process dies). The broker checks timeouts about once a
// minute, hence the long wait.

const WINDOW_MS = 3_000;
let topology: Topology;
let broker: Broker | undefined;
let release: () => void = () => undefined;

beforeEach(() => {
  topology = isolatedTopology();
});

afterEach(async () => {
  release();
  await broker?.close();
  await deleteTopology(topology);
});

test('a consumer whose channel the broker closes on consumer_timeout re-attaches by itself', async () => {
  const handled: string[] = [];
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await rabbitmqctl([
    'eval',
    `{ok, Old} = application:get_env(rabbit, consumer_timeout),
     application:set_env(rabbit, consumer_timeout, 1000),
     spawn(fun() -> timer:sleep(${WINDOW_MS}), application:set_env(rabbit, consumer_timeout, Old) end),
     ok.`,
  ]);
  broker = await connectBroker(topology);
  let deliveries = 0;
  await broker.consume({
    queue: topology.queues[0]?.name as string,
    messages: [orderPlaced],
    handle: async (message) => {
      deliveries += 1;
      // The first delivery is held past the timeout, as a stuck handler would.
      if (deliveries === 1) await held;
      handled.push(message.payload.orderId);
    },
  });
  await broker.publishEvent(orderPlaced.create({ orderId: 'held', amount: 1 }));
  // Redelivered on the re-attached channel once the broker closed the first one.
  await waitFor(() => handled.includes('held'), 150_000, 'the held message redelivered and handled');
  await broker.publishEvent(orderPlaced.create({ orderId: 'after', amount: 1 }));
  await waitFor(() => handled.includes('after'), 15_000, 'a later message handled');
  expect(broker.detachedConsumers()).toEqual([]);
});
