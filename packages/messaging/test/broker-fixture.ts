import { randomUUID } from 'node:crypto';
import { defineEvent } from '@delivery/contracts';
import { drainQueue as drainQueueAt } from '@delivery/testing';
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

/** Acts on the broker from a connection of its own, as an operator or RabbitMQ itself would. */
export async function withOwnChannel<T>(action: (channel: amqp.Channel) => Promise<T>): Promise<T> {
  const connection = await amqp.connect(amqpUrl());
  try {
    return await action(await connection.createChannel());
  } finally {
    await connection.close();
  }
}

/** Reads (and removes) every message currently in a queue, without a consumer of ours. */
export const drainQueue = (queue: string) => drainQueueAt(amqpUrl(), queue);

/** Publishes raw bytes, bypassing our own validation, as a misbehaving producer would. */
export async function publishRaw(exchange: string, routingKey: string, content: string): Promise<void> {
  const connection = await amqp.connect(amqpUrl());
  const channel = await connection.createConfirmChannel();
  channel.publish(exchange, routingKey, Buffer.from(content), { persistent: true });
  await channel.waitForConfirms();
  await connection.close();
}

export { waitFor } from '@delivery/testing';
