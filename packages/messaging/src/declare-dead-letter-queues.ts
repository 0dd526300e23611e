import type { ChannelModel } from 'amqplib';
import { deadLetterQueueName, deadLetterQueueOptions, type Topology } from './topology.js';

/** AMQP reply code for a queue that exists with other arguments. */
const PRECONDITION_FAILED = 406;

/**
 * Declares every dead-letter queue with its bounds. A dead-letter queue declared before it had
 * bounds cannot be given them by declaring it again (RabbitMQ refuses other arguments for an
 * existing queue), and deleting it would lose its messages: it is kept as it is, and returned,
 * so the caller can warn (replay or drain it, then delete it, and the next start bounds it).
 * Each declaration gets a channel of its own because a refused one closes its channel.
 */
export async function declareDeadLetterQueues(model: ChannelModel, topology: Topology): Promise<string[]> {
  const unbounded: string[] = [];
  for (const queue of topology.queues) {
    const dlq = deadLetterQueueName(queue.name);
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    try {
      await channel.assertQueue(dlq, deadLetterQueueOptions(queue.deadLetters));
      await channel.close();
    } catch (error) {
      if ((error as { code?: unknown }).code !== PRECONDITION_FAILED) throw error;
      unbounded.push(dlq);
    }
  }
  return unbounded;
}
