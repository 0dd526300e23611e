import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Envelope } from '@delivery/contracts';
import { mongoUrlForDatabase, uniqueName } from '@delivery/testing';
import mongoose, { type Connection } from 'mongoose';
import type { Broker } from '../src/broker.js';
import { eventEntry } from '../src/outbox.js';
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

const relayScript = fileURLToPath(new URL('./relay-process.ts', import.meta.url));
let topology: Topology;
let broker: Broker;
let connection: Connection;
let mongoUrl: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  topology = isolatedTopology();
  broker = await connectBroker(topology); // declares the queue the relay's events land in
  mongoUrl = mongoUrlForDatabase(process.env.MONGO_URL as string, uniqueName('outbox'));
  connection = await mongoose.createConnection(mongoUrl).asPromise();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await connection.dropDatabase();
  await connection.close();
  await broker.close();
  await deleteTopology(topology);
});

function startRelay(mode: 'stall' | 'publish'): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', relayScript], {
    env: {
      ...process.env,
      MONGO_URL: mongoUrl,
      AMQP_URL: amqpUrl(),
      TOPOLOGY: JSON.stringify(topology),
      RELAY_MODE: mode,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

async function untilLine(child: ChildProcess, line: string): Promise<void> {
  let seen = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
  });
  await waitFor(() => seen.includes(`${line}\n`), 30_000, `"${line}" from the relay`);
}

test('a relay killed before it publishes loses nothing: the next one publishes every entry', async () => {
  const Order = orderModel(connection);
  const sent = [];
  const bySubject = new Map<string, string[]>();
  for (let order = 0; order < 5; order += 1) {
    const events = [1, 2, 3].map((step) => orderPlaced.create({ orderId: `o-${order}`, amount: step }));
    sent.push(...events);
    const { _id } = await Order.create({
      orderId: `o-${order}`,
      outbox: events.map((event) => eventEntry(event)),
    });
    bySubject.set(
      String(_id),
      events.map((event) => event.id),
    );
  }

  const doomed = startRelay('stall');
  await untilLine(doomed, 'publishing');
  doomed.kill('SIGKILL');
  await once(doomed, 'exit');
  const pending = await Order.find({}, { outbox: 1 }).lean();
  expect(pending.flatMap((order) => order.outbox)).toHaveLength(15);

  const relay = startRelay('publish');
  await waitFor(
    async () => (await Order.countDocuments({ 'outbox.0': { $exists: true } })) === 0,
    30_000,
    'empty outbox',
  );
  relay.kill('SIGTERM');
  const [exitCode] = await once(relay, 'exit');
  expect(exitCode).toBe(0);

  const published: Envelope[] = (await drainQueue(topology.queues[0]?.name as string)).map((m) =>
    JSON.parse(m.content.toString()),
  );
  expect(new Set(published.map((event) => event.id))).toEqual(new Set(sent.map((event) => event.id)));
  // Each order's events went out in the order written, numbered 1, 2, 3 under the order's id.
  for (const [subject, ids] of bySubject) {
    const ofOrder = published.filter((event) => event.subject === subject);
    expect(ofOrder.map(({ id, sequence }) => ({ id, sequence }))).toEqual(
      ids.map((id, index) => ({ id, sequence: index + 1 })),
    );
  }
});
