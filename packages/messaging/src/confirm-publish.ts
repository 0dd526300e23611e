import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { PublishRejectedError, PublishTimeoutError, UnroutableError } from './errors.js';

const PUBLISH_ID_HEADER = 'x-publish-id';
/** amqplib reports a broker nack and a lost channel alike, as an Error: only the message differs. */
const NACK_MESSAGE = 'message nacked';

export interface PublishTarget {
  exchange: string;
  routingKey: string;
}

/**
 * One confirm channel, shared by every publisher of a process. It tracks messages the broker
 * returned as unroutable (RabbitMQ sends basic.return before the basic.ack of the same message,
 * so by the time the confirm callback runs we already know whether it was routed) and the
 * socket's backpressure.
 */
export class PublishChannel {
  private readonly returned = new Set<string>();
  private drained: Promise<void> | undefined;

  constructor(readonly channel: ConfirmChannel) {
    channel.on('return', (message: ConsumeMessage) => {
      const id = message.properties.headers?.[PUBLISH_ID_HEADER];
      if (typeof id === 'string') this.returned.add(id);
    });
  }

  /**
   * Publishes one persistent, mandatory message and resolves only once the broker confirmed it.
   * Every wait (the socket draining, the confirm) ends by `deadline` with PublishTimeoutError.
   */
  async publish(target: PublishTarget, content: Buffer, options: Options.Publish, deadline: number) {
    // While the socket's buffer is full, queue behind it instead of buffering without bound.
    if (this.drained) await withinDeadline(this.drained, deadline, 'the connection to drain');
    const publishId = randomUUID();
    const confirmed = new Promise<void>((resolve, reject) => {
      const written = this.channel.publish(
        target.exchange,
        target.routingKey,
        content,
        {
          ...options,
          persistent: true,
          mandatory: true,
          contentType: 'application/json',
          headers: { ...options.headers, [PUBLISH_ID_HEADER]: publishId },
        },
        (error) => {
          const wasReturned = this.returned.delete(publishId);
          if (error) reject(confirmError(error, target));
          else if (wasReturned) {
            reject(
              new UnroutableError(
                `no queue is bound for "${target.routingKey}" on "${target.exchange || '(default)'}"`,
              ),
            );
          } else resolve();
        },
      );
      if (!written) this.drained ??= this.untilDrained();
    });
    await withinDeadline(confirmed, deadline, `the broker to confirm "${target.routingKey}"`);
  }

  /** Resolves once the socket drained, or the channel closed (a publish on it then fails at once). */
  private untilDrained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.channel.off('drain', done);
        this.channel.off('close', done);
        this.drained = undefined;
        resolve();
      };
      this.channel.on('drain', done);
      this.channel.on('close', done);
    });
  }
}

function confirmError(error: unknown, target: PublishTarget): Error {
  if (error instanceof Error && error.message !== NACK_MESSAGE) return error;
  return new PublishRejectedError(
    `the broker refused (nacked) "${target.routingKey}" on "${target.exchange || '(default)'}"`,
  );
}

/** Resolves as `promise` does, or fails with PublishTimeoutError once `deadline` (epoch ms) passed. */
export async function withinDeadline<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PublishTimeoutError(`timed out waiting for ${what}`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
