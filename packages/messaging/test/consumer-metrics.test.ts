import type { Broker } from '../src/broker.js';
import type { ConsumerMetrics } from '../src/consumer-metrics.js';
import { DeadLetters } from '../src/dead-letters.js';
import { UnprocessableMessageError } from '../src/errors.js';
import { deadLetterQueueName, type Topology } from '../src/topology.js';
import {
  connectBroker,
  deleteTopology,
  isolatedTopology,
  orderPlaced,
  publishRaw,
  waitFor,
} from './broker-fixture.js';

// What a consumer reports for the process's metrics (service-kit counts it), and the depth of
// the dead-letter queues that a scrape reads.

let topology: Topology;
let broker: Broker;
const reported: string[] = [];
const metrics: ConsumerMetrics = {
  consuming: (queue) => reported.push(`consuming ${queue}`),
  handled: (queue, seconds) => reported.push(`handled ${queue} ${seconds >= 0 && seconds < 10}`),
  retried: (queue) => reported.push(`retried ${queue}`),
  deadLettered: (queue, reason) => reported.push(`dead-lettered ${queue} ${reason}`),
};
const queue = () => topology.queues[0]?.name as string;

beforeEach(async () => {
  reported.length = 0;
  topology = isolatedTopology([100]);
  broker = await connectBroker(topology, { consumerMetrics: metrics });
});

afterEach(async () => {
  await broker.close();
  await deleteTopology(topology);
});

test('each delivery is reported once settled: handled, retried, or dead-lettered with why', async () => {
  const failures = new Map<string, number>();
  await broker.consume({
    queue: queue(),
    messages: [orderPlaced],
    handle: async ({ payload }) => {
      const seen = (failures.get(payload.orderId) ?? 0) + 1;
      failures.set(payload.orderId, seen);
      if (payload.orderId === 'flaky' && seen === 1) throw new Error('try again');
      if (payload.orderId === 'broken') throw new Error('always fails');
      if (payload.orderId === 'foreign') throw new UnprocessableMessageError('no such shop');
    },
  });
  expect(reported).toEqual([`consuming ${queue()}`]);
  for (const orderId of ['fine', 'flaky', 'broken', 'foreign']) {
    await broker.publishEvent(orderPlaced.create({ orderId, amount: 1 }));
  }
  await publishRaw(topology.eventsExchange, orderPlaced.routingKey, 'not json');
  await waitFor(() => reported.length === 8, 10_000, 'every delivery settled');
  expect(reported.slice(1).sort()).toEqual(
    [
      `handled ${queue()} true`, // fine
      `retried ${queue()}`, // flaky, first time
      `handled ${queue()} true`, // flaky, retried
      `retried ${queue()}`, // broken, first time
      `dead-lettered ${queue()} retries_exhausted`, // broken, after its one retry
      `dead-lettered ${queue()} unprocessable`, // foreign
      `dead-lettered ${queue()} malformed`, // not json
    ].sort(),
  );

  const dlq = deadLetterQueueName(queue());
  await waitFor(
    async () => (await new DeadLetters(broker, topology).depths())[0]?.count === 3,
    10_000,
    'three dead letters',
  );
  expect(await new DeadLetters(broker, topology).depths()).toEqual([{ queue: dlq, count: 3 }]);
});
