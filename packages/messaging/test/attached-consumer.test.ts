import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { AttachedConsumer, type Consumption } from '../src/attached-consumer.js';
import { amqpUrl, waitFor, withOwnChannel } from './broker-fixture.js';

// The lifecycle on its own, against the real broker, with a consumption that only records what
// it is given. Faults are made on this test's own queue and channels, never on the broker.

interface Delivery {
  body: string;
  channel: Channel;
  redelivered: boolean;
}

/** Reads a queue the test declares, acking every delivery unless told otherwise. */
class RecordingConsumption implements Consumption {
  readonly prefetch = 4;
  readonly events: string[] = [];
  readonly deliveries: Delivery[] = [];
  /** Set to make `queueOn` wait, as a slow declaration would. */
  queueOnGate: Promise<void> | undefined;
  /** Leaves the next delivery unacked and acks a tag the broker never gave: it closes the channel. */
  failNext = false;

  constructor(readonly queue: string) {}

  async queueOn(): Promise<string> {
    this.events.push('queueOn');
    await this.queueOnGate;
    return this.queue;
  }

  onConsuming(queue: string): void {
    this.events.push(`consuming ${queue}`);
  }

  deliver(channel: Channel, message: ConsumeMessage): void {
    const body = message.content.toString();
    this.events.push(`deliver ${body}`);
    this.deliveries.push({ body, channel, redelivered: message.fields.redelivered });
    if (!this.failNext) {
      channel.ack(message);
      return;
    }
    this.failNext = false;
    channel.ack({ ...message, fields: { ...message.fields, deliveryTag: 1_000_000 } });
  }

  idle(): Promise<void> {
    return Promise.resolve();
  }
}

const models: ChannelModel[] = [];
let queue: string;
let consumption: RecordingConsumption;
let consumer: AttachedConsumer;

async function connect(): Promise<ChannelModel> {
  const model = await amqp.connect(amqpUrl());
  model.on('error', () => undefined);
  models.push(model);
  return model;
}

const declareQueue = () => withOwnChannel((channel) => channel.assertQueue(queue, { durable: false }));
async function send(body: string): Promise<void> {
  const connection = await amqp.connect(amqpUrl());
  const channel = await connection.createConfirmChannel();
  channel.sendToQueue(queue, Buffer.from(body));
  await channel.waitForConfirms();
  await connection.close();
}
const consumerCount = () =>
  withOwnChannel(async (channel) => (await channel.checkQueue(queue)).consumerCount);
const bodies = () => consumption.deliveries.map((delivery) => delivery.body);

beforeEach(async () => {
  queue = `t-${process.pid}-${randomUUID().slice(0, 8)}.attached`;
  await declareQueue();
  consumption = new RecordingConsumption(queue);
  consumer = new AttachedConsumer(consumption, { info() {}, warn() {}, error() {} });
});

afterEach(async () => {
  await consumer.stop();
  await consumer.close();
  await Promise.all(models.splice(0).map((model) => model.close().catch(() => undefined)));
  await withOwnChannel((channel) => channel.deleteQueue(queue));
});

test('attaching announces the queue before its first delivery, which was waiting in it', async () => {
  await send('waiting');
  await consumer.attach(await connect());
  expect(consumer.attached).toBe(true);
  await waitFor(() => bodies().length === 1, 10_000, 'the waiting message');
  expect(consumption.events).toEqual(['queueOn', `consuming ${queue}`, 'deliver waiting']);
});

test('after a broker-side cancel it keeps trying to re-attach, and does once its queue is back', async () => {
  await consumer.attach(await connect());
  // Deleting the queue cancels the consumer (basic.cancel); re-attaching fails until it is back.
  await withOwnChannel((channel) => channel.deleteQueue(queue));
  await waitFor(() => !consumer.attached, 10_000, 'the consumer reported detached');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(consumer.attached).toBe(false);
  await declareQueue();
  await waitFor(() => consumer.attached, 20_000, 'the consumer re-attached');

  await send('after');
  await waitFor(() => bodies().length === 1, 10_000, 'a delivery after re-attaching');
});

test('a broker-side cancel leaves the channel open, and it re-attaches on it', async () => {
  await consumer.attach(await connect());
  await send('before');
  await waitFor(() => bodies().length === 1, 10_000, 'a first delivery');
  // The queue is back before the first re-attach attempt, so that attempt succeeds.
  await withOwnChannel(async (channel) => {
    await channel.deleteQueue(queue);
    await channel.assertQueue(queue, { durable: false });
  });
  await waitFor(
    () => consumption.events.filter((event) => event === 'queueOn').length === 2,
    10_000,
    'a re-attach',
  );
  await waitFor(() => consumer.attached, 10_000, 'the consumer re-attached');

  await send('after');
  await waitFor(() => bodies().length === 2, 10_000, 'a delivery after re-attaching');
  // Kept so that deliveries still being handled on it can be settled there.
  const [before, after] = consumption.deliveries;
  expect(after?.channel === before?.channel).toBe(true);
});

test('after the broker closes its channel it re-attaches on a new one, where the unacked message comes again', async () => {
  await consumer.attach(await connect());
  consumption.failNext = true;
  await send('unacked');
  await waitFor(() => bodies().length === 2, 10_000, 'the message delivered again');

  const [first, again] = consumption.deliveries;
  expect(again).toMatchObject({ body: 'unacked', redelivered: true });
  expect(again?.channel).not.toBe(first?.channel);
  expect(consumption.events).toEqual([
    'queueOn',
    `consuming ${queue}`,
    'deliver unacked',
    'queueOn',
    `consuming ${queue}`,
    'deliver unacked',
  ]);
  expect(consumer.attached).toBe(true);
});

test('detached with its connection, it waits for the next one and does not re-attach before', async () => {
  const first = await connect();
  await consumer.attach(first);
  consumer.detach();
  await first.close();
  expect(consumer.attached).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(consumer.attached).toBe(false);
  expect(await consumerCount()).toBe(0);

  await consumer.attach(await connect());
  expect(consumer.attached).toBe(true);
  await send('on the new connection');
  await waitFor(() => bodies().length === 1, 10_000, 'a delivery on the new connection');
  expect(await consumerCount()).toBe(1);
});

test('stopped while it attaches, it never starts consuming', async () => {
  let open: () => void = () => undefined;
  consumption.queueOnGate = new Promise((resolve) => {
    open = resolve;
  });
  const attaching = consumer.attach(await connect());
  await waitFor(() => consumption.events.includes('queueOn'), 10_000, 'the attach under way');
  await consumer.stop();
  open();
  await attaching;

  expect(consumption.events).toEqual(['queueOn']);
  expect(await consumerCount()).toBe(0);
});

test('stopped while detached, it stops trying to re-attach', async () => {
  await consumer.attach(await connect());
  await withOwnChannel((channel) => channel.deleteQueue(queue));
  await waitFor(() => !consumer.attached, 10_000, 'the consumer reported detached');
  await consumer.stop();
  await declareQueue();
  // Longer than the first re-attach backoff steps.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(await consumerCount()).toBe(0);
});
