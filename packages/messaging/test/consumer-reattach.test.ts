import type { Envelope } from '@delivery/contracts';
import type { Broker } from '../src/broker.js';
import { declareTopology, type Topology } from '../src/topology.js';
import {
  connectBroker,
  deleteTopology,
  isolatedTopology,
  orderPlaced,
  waitFor,
  withOwnChannel,
} from './broker-fixture.js';

let topology: Topology;
let broker: Broker;
const queue = () => topology.queues[0]?.name as string;

beforeEach(async () => {
  topology = isolatedTopology();
  broker = await connectBroker(topology);
});

afterEach(async () => {
  await broker.close();
  await deleteTopology(topology);
});

test('a consumer cancelled by the broker (its queue deleted, then declared again) re-attaches by itself and says so meanwhile', async () => {
  const received: Envelope[] = [];
  await broker.consume({
    queue: queue(),
    messages: [orderPlaced],
    handle: async (message) => void received.push(message),
  });
  expect(broker.detachedConsumers()).toEqual([]);

  // Deleting the queue cancels its consumer server-side (basic.cancel); the connection stays up.
  await withOwnChannel((channel) => channel.deleteQueue(queue()));
  await waitFor(() => broker.detachedConsumers().includes(queue()), 10_000, 'consumer reported detached');
  expect(broker.isConnected()).toBe(true);

  await withOwnChannel((channel) => declareTopology(channel, topology));
  await waitFor(() => broker.detachedConsumers().length === 0, 20_000, 'consumer re-attached');

  const sent = orderPlaced.create({ orderId: 'after-cancel', amount: 1 });
  await broker.publishEvent(sent);
  await waitFor(() => received.length === 1, 10_000, 'delivery after re-attaching');
  expect(received[0]?.id).toBe(sent.id);
});

test('a consumer stopped while detached stops trying to re-attach', async () => {
  await broker.consume({ queue: queue(), messages: [orderPlaced], handle: async () => undefined });
  await withOwnChannel((channel) => channel.deleteQueue(queue()));
  await waitFor(() => broker.detachedConsumers().includes(queue()), 10_000, 'consumer reported detached');
  await broker.stopConsuming({ drainTimeoutMs: 1_000 });
  await withOwnChannel((channel) => declareTopology(channel, topology));
  // Longer than the first re-attach backoff steps.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await withOwnChannel(async (channel) => {
    const { consumerCount } = await channel.checkQueue(queue());
    expect(consumerCount).toBe(0);
  });
});
