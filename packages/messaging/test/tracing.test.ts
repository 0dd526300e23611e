import { mongoUrlForDatabase, uniqueName } from '@delivery/testing';
import { context, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import mongoose, { type Connection } from 'mongoose';
import type { Broker } from '../src/broker.js';
import { brokerPublisher, eventEntry } from '../src/outbox.js';
import { OutboxRelay } from '../src/outbox-relay.js';
import type { Topology } from '../src/topology.js';
import { connectBroker, deleteTopology, isolatedTopology, orderPlaced, waitFor } from './broker-fixture.js';
import { orderModel } from './outbox-fixture.js';

const exporter = new InMemorySpanExporter();
const sdk = new NodeSDK({ spanProcessors: [new SimpleSpanProcessor({ exporter })], instrumentations: [] });
let topology: Topology;
let broker: Broker;
let connection: Connection;

beforeAll(async () => {
  sdk.start();
  topology = isolatedTopology();
  broker = await connectBroker(topology);
  const url = mongoUrlForDatabase(process.env.MONGO_URL as string, uniqueName('outbox-tracing'));
  connection = await mongoose.createConnection(url).asPromise();
});

beforeEach(() => exporter.reset());

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
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

test('an outbox entry published later, by the scan, stays in the trace it was written in', async () => {
  const queue = topology.queues[0]?.name as string;
  await broker.consume({ queue, messages: [orderPlaced], handle: async () => undefined });
  // Written inside a request's span; nobody publishes it then (as when the writer dies first).
  const request = trace.getTracer('test').startSpan('checkout');
  const written = await context.with(trace.setSpan(context.active(), request), async () =>
    orderModel(connection).create({
      orderId: 'written-in-a-request',
      outbox: [eventEntry(orderPlaced.create({ orderId: 'written-in-a-request', amount: 1 }))],
    }),
  );
  request.end();

  // A relay started afterwards, outside any span, finds it by its scan.
  const relay = new OutboxRelay({
    model: orderModel(connection),
    publish: brokerPublisher(broker),
    pollIntervalMs: 50,
    scanGraceMs: 0,
  });
  relay.start();
  try {
    const consume = await waitFor(
      () => exporter.getFinishedSpans().find((span) => span.name === `${queue} process`),
      10_000,
      'the consume span',
    );
    const publish = exporter.getFinishedSpans().find((span) => span.name === 'shop.order.placed.v1 publish');
    expect(publish?.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(publish?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(consume.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(consume.attributes['messaging.message.id']).toBe(written.outbox[0]?.envelope.id);
  } finally {
    await relay.stop();
  }
});
