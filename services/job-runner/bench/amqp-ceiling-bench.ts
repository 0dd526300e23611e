import { uniqueName } from '@delivery/testing';
import amqp from 'amqplib';
import {
  type BenchContext,
  Completions,
  percentile,
  perSecond,
  runBounded,
  type SystemResult,
} from './measure.js';

/**
 * The ceiling: what the broker alone does with the service's delivery rules (durable quorum
 * queue, persistent messages published with confirms, manual acks, bounded prefetch) and no
 * database at all. Every job of the service needs at least this one round trip, and in fact
 * several (dispatch command plus three events).
 */
export async function benchAmqpCeiling(ctx: BenchContext): Promise<SystemResult> {
  const queue = uniqueName('bench_ceiling');
  const publisher = await amqp.connect(ctx.amqpUrl);
  const consumer = await amqp.connect(ctx.amqpUrl).catch(async (error: unknown) => {
    await publisher.close();
    throw error;
  });
  try {
    const publish = await publisher.createConfirmChannel();
    await publish.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });

    const sentAt = new Float64Array(ctx.jobs);
    const latencies = new Float64Array(ctx.jobs);
    const done = new Completions(ctx.jobs);
    const consume = await consumer.createChannel();
    await consume.prefetch(ctx.concurrency);
    await consume.consume(queue, (message) => {
      if (!message) return;
      const index = message.content.readUInt32BE(0);
      latencies[index] = performance.now() - (sentAt[index] ?? Number.NaN);
      consume.ack(message);
      done.mark(index);
    });

    const started = performance.now();
    // At most C unconfirmed publishes at a time: each lane waits for its confirm.
    await runBounded(
      ctx.jobs,
      ctx.concurrency,
      (index) =>
        new Promise<void>((resolve, reject) => {
          const content = Buffer.alloc(4);
          content.writeUInt32BE(index, 0);
          sentAt[index] = performance.now();
          publish.publish('', queue, content, { persistent: true }, (error) =>
            error ? reject(error instanceof Error ? error : new Error('broker nacked')) : resolve(),
          );
        }),
      ctx.signal,
    );
    const confirmed = performance.now();
    await done.wait(ctx.timeoutMs, ctx.signal, 'messages acked');

    return {
      system: 'amqplib confirm/ack (ceiling)',
      jobsPerSec: perSecond(ctx.jobs, done.lastAt - started),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      note:
        `quorum queue, ${ctx.concurrency} unconfirmed max, prefetch ${ctx.concurrency}; ` +
        `publish+confirm ${Math.round(perSecond(ctx.jobs, confirmed - started))}/s; ` +
        'latency = publish -> delivery',
    };
  } finally {
    // Deleting the queue before closing: the vhost is deleted at the end anyway, this is tidiness.
    await publisher
      .createChannel()
      .then((channel) => channel.deleteQueue(queue))
      .catch(() => undefined);
    await consumer.close().catch(() => undefined);
    await publisher.close().catch(() => undefined);
  }
}
