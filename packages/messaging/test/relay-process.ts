/**
 * A stand-alone outbox relay, started as a child process by outbox.fault.test.ts.
 * RELAY_MODE=stall: it reads the outbox, then never gets its first confirm (as a process that is
 * killed between reading and publishing); RELAY_MODE=publish: the real broker publisher.
 */
import mongoose from 'mongoose';
import { Broker } from '../src/broker.js';
import { brokerPublisher, type PublishEntry } from '../src/outbox.js';
import { OutboxRelay } from '../src/outbox-relay.js';
import { orderModel } from './outbox-fixture.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const connection = await mongoose.createConnection(env('MONGO_URL')).asPromise();
// A short lock (and so publish timeout), so the next relay takes over soon after this one dies.
const publishTimeoutMs = 5_000;
const broker = await Broker.connect({
  url: env('AMQP_URL'),
  topology: JSON.parse(env('TOPOLOGY')),
  publishTimeoutMs,
});
const stall: PublishEntry = () => {
  process.stdout.write('publishing\n');
  return new Promise(() => undefined);
};
const relay = new OutboxRelay({
  model: orderModel(connection),
  publish: env('RELAY_MODE') === 'stall' ? stall : brokerPublisher(broker),
  pollIntervalMs: 100,
  publishTimeoutMs,
  lockMs: 2 * publishTimeoutMs,
});
relay.start();
process.stdout.write('started\n');

process.once('SIGTERM', async () => {
  await relay.stop();
  await broker.close();
  await connection.close();
  process.exit(0);
});
