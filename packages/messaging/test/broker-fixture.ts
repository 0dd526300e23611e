import { randomUUID } from 'node:crypto';
import { defineEvent } from '@delivery/contracts';
import amqp from 'amqplib';
import { z } from 'zod';
import { Broker } from '../src/broker.js';
import { exchangeNames, queueNames, type Topology } from '../src/topology.js';

export const amqpUrl = (): string => process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export const orderPlaced = defineEvent({
  service: 'shop',
  entity: 'order',
  event: 'placed',
  version: 1,
  payload: z.object({ orderId: z.string(), amount: z.number().positive() }),
});

/** A topology whose names are unique to one test, so test files can share one broker. */
export function isolatedTopology(retryDelaysMs: number[] = [200, 600]): Topology {
  const prefix = `t-${process.pid}-${randomUUID().slice(0, 8)}`;
  return {
    eventsExchange: `${prefix}.events`,
    queues: [{ name: `${prefix}.orders`, bindings: ['shop.order.*.v1'], retryDelaysMs }],
  };
}

export async function connectBroker(
  topology: Topology,
  overrides: Partial<Parameters<typeof Broker.connect>[0]> = {},
) {
  return Broker.connect({ url: amqpUrl(), topology, connectionName: `test-${randomUUID()}`, ...overrides });
}

/** Deletes every exchange and queue of a test topology. */
export async function deleteTopology(topology: Topology): Promise<void> {
  const connection = await amqp.connect(amqpUrl());
  const channel = await connection.createChannel();
  for (const queue of queueNames(topology)) await channel.deleteQueue(queue);
  for (const exchange of exchangeNames(topology)) await channel.deleteExchange(exchange);
  await connection.close();
}

/** Reads (and acks) every message currently in a queue, without a consumer of ours. */
export async function drainQueue(queue: string): Promise<amqp.GetMessage[]> {
  const connection = await amqp.connect(amqpUrl());
  const channel = await connection.createChannel();
  const messages: amqp.GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (!message) break;
    messages.push(message);
  }
  await connection.close();
  return messages;
}

/** Publishes raw bytes, bypassing our own validation, as a misbehaving producer would. */
export async function publishRaw(exchange: string, routingKey: string, content: string): Promise<void> {
  const connection = await amqp.connect(amqpUrl());
  const channel = await connection.createConfirmChannel();
  channel.publish(exchange, routingKey, Buffer.from(content), { persistent: true });
  await channel.waitForConfirms();
  await connection.close();
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
