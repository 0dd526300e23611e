import { randomUUID } from 'node:crypto';
import { closeConnectionsNamed, rabbitmqctl } from '@delivery/testing';
import type { Broker } from '../src/broker.js';
import { BrokerUnavailableError, PublishTimeoutError } from '../src/errors.js';
import type { Topology } from '../src/topology.js';
import { connectBroker, deleteTopology, isolatedTopology, orderPlaced, waitFor } from './broker-fixture.js';

// These tests disturb the shared broker, so they run alone: `npm run test:faults` runs them in band.

let topology: Topology;
let broker: Broker;
let connectionName: string;
const received = new Set<string>();

beforeEach(async () => {
  received.clear();
  topology = isolatedTopology();
  connectionName = `fault-${randomUUID()}`;
  broker = await connectBroker(topology, { connectionName, publishTimeoutMs: 60_000 });
  await broker.consume({
    queue: topology.queues[0]?.name as string,
    messages: [orderPlaced],
    handle: async (message) => void received.add(message.payload.orderId),
  });
});

afterEach(async () => {
  await broker.close();
  await deleteTopology(topology);
});

/** Publishes `count` events one after another; returns the ids the broker confirmed. */
async function publishSeries(count: number): Promise<string[]> {
  const confirmed: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const orderId = `o-${index}`;
    await broker.publishEvent(orderPlaced.create({ orderId, amount: 1 }));
    confirmed.push(orderId);
  }
  return confirmed;
}

test('connections force-closed mid-stream: no confirmed message lost, consumers resume by themselves', async () => {
  const confirmed = await publishSeries(100);
  // Publishing goes on until the close has happened (rabbitmqctl takes a while; a fast publisher
  // could otherwise finish first and the close would hit an idle connection), then some more.
  let closed: number | undefined;
  const closes = closeConnectionsNamed(connectionName).then((count) => {
    closed = count;
  });
  for (let index = 100; closed === undefined || index < 300; index += 1) {
    const orderId = `o-${index}`;
    await broker.publishEvent(orderPlaced.create({ orderId, amount: 1 }));
    confirmed.push(orderId);
  }
  await closes;
  expect(closed).toBe(1);
  await waitFor(() => confirmed.every((id) => received.has(id)), 60_000, 'every confirmed message consumed');
  await waitFor(() => broker.isConnected(), 30_000, 'the broker connection back');
});

test('broker restart (stop_app / start_app): no confirmed message lost, consumers resume by themselves', async () => {
  const before = await publishSeries(50);
  await waitFor(() => before.every((id) => received.has(id)), 15_000, 'first batch');
  await rabbitmqctl(['stop_app']);
  try {
    await waitFor(() => !broker.isConnected(), 30_000, 'disconnect noticed');
    // Published while the broker is down: waits, then goes out once the broker is back.
    const during = broker.publishEvent(orderPlaced.create({ orderId: 'during-outage', amount: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await rabbitmqctl(['start_app']);
    await during;
  } finally {
    await rabbitmqctl(['start_app']).catch(() => undefined);
  }
  const after = await publishSeries(50);
  await waitFor(
    () => [...before, 'during-outage', ...after].every((id) => received.has(id)),
    60_000,
    'every confirmed message consumed after the restart',
  );
});

test('a publish while the broker is unreachable fails loudly after its bound', async () => {
  const impatient = await connectBroker(topology, { publishTimeoutMs: 1_000 });
  await rabbitmqctl(['stop_app']);
  try {
    await waitFor(() => !impatient.isConnected(), 30_000, 'disconnect noticed');
    await expect(
      impatient.publishEvent(orderPlaced.create({ orderId: 'lost?', amount: 1 })),
    ).rejects.toBeInstanceOf(BrokerUnavailableError);
  } finally {
    await rabbitmqctl(['start_app']);
  }
  await waitFor(() => impatient.isConnected() && broker.isConnected(), 60_000, 'reconnect');
  await impatient.close();
});

test('a connection blocked by a resource alarm fails publishes within their bound, then publishes again', async () => {
  const impatient = await connectBroker(topology, { publishTimeoutMs: 1_500 });
  try {
    // A memory alarm blocks every publishing connection on the broker: keep it to seconds. The
    // broker node itself lifts it after 10 s, even if this test hangs or its process dies.
    await rabbitmqctl([
      'eval',
      `Old = vm_memory_monitor:get_vm_memory_high_watermark(),
       vm_memory_monitor:set_vm_memory_high_watermark(0.0000001),
       spawn(fun() -> timer:sleep(10000), vm_memory_monitor:set_vm_memory_high_watermark(Old) end),
       ok.`,
    ]);
    try {
      await expect(
        impatient.publishEvent(orderPlaced.create({ orderId: 'blocked-1', amount: 1 })),
      ).rejects.toBeInstanceOf(PublishTimeoutError);
      await expect(
        impatient.publishEvent(orderPlaced.create({ orderId: 'blocked-2', amount: 1 })),
      ).rejects.toBeInstanceOf(PublishTimeoutError);
    } finally {
      await rabbitmqctl(['set_vm_memory_high_watermark', '0.4']);
    }
    await waitFor(
      () =>
        impatient.publishEvent(orderPlaced.create({ orderId: 'unblocked', amount: 1 })).then(
          () => true,
          () => false,
        ),
      30_000,
      'a publish after the alarm cleared',
    );
    await waitFor(() => received.has('unblocked'), 30_000, 'the publish after the alarm consumed');
  } finally {
    await impatient.close();
  }
});
