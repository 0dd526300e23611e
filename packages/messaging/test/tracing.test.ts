import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { Broker } from '../src/broker.js';
import type { Topology } from '../src/topology.js';
import { connectBroker, deleteTopology, isolatedTopology, orderPlaced, waitFor } from './broker-fixture.js';

const exporter = new InMemorySpanExporter();
const sdk = new NodeSDK({ spanProcessors: [new SimpleSpanProcessor({ exporter })], instrumentations: [] });
let topology: Topology;
let broker: Broker;

beforeAll(async () => {
  sdk.start();
  topology = isolatedTopology();
  broker = await connectBroker(topology);
});

afterAll(async () => {
  await broker.close();
  await deleteTopology(topology);
  await sdk.shutdown();
});

test('the consume span continues the trace of the publish span through message headers', async () => {
  let correlationId: unknown;
  await broker.consume({
    queue: topology.queues[0]?.name as string,
    messages: [orderPlaced],
    handle: async (message) => {
      correlationId = message.correlationId;
    },
  });
  await broker.publishEvent(
    orderPlaced.create({ orderId: 'traced', amount: 1 }, { correlationId: 'corr-42' }),
  );
  await waitFor(
    () => exporter.getFinishedSpans().some((span) => span.name.endsWith('process')),
    5_000,
    'consume span',
  );

  const spans = exporter.getFinishedSpans();
  const publish = spans.find((span) => span.name === 'shop.order.placed.v1 publish');
  const consume = spans.find((span) => span.name === `${topology.queues[0]?.name} process`);
  expect(publish).toBeDefined();
  expect(consume?.spanContext().traceId).toBe(publish?.spanContext().traceId);
  expect(consume?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
  expect(correlationId).toBe('corr-42');
  expect(consume?.attributes['messaging.rabbitmq.destination.routing_key']).toBe('shop.order.placed.v1');
});
