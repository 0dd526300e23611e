import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { PublishRejectedError, UnroutableError } from './errors.js';

const PUBLISH_ID_HEADER = 'x-publish-id';

/**
 * Tracks messages the broker returned as unroutable on one confirm channel. RabbitMQ sends
 * basic.return before the basic.ack of the same message, so by the time the confirm callback
 * runs we already know whether it was routed.
 */
export function trackReturns(channel: ConfirmChannel): Set<string> {
  const returned = new Set<string>();
  channel.on('return', (message: ConsumeMessage) => {
    const id = message.properties.headers?.[PUBLISH_ID_HEADER];
    if (typeof id === 'string') returned.add(id);
  });
  return returned;
}

export interface PublishTarget {
  exchange: string;
  routingKey: string;
}

/** Publishes one persistent, mandatory message and resolves only once the broker confirmed it. */
export async function confirmPublish(
  channel: ConfirmChannel,
  returned: Set<string>,
  target: PublishTarget,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  const publishId = randomUUID();
  const confirmed = new Promise<void>((resolve, reject) => {
    const ok = channel.publish(
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
        const wasReturned = returned.delete(publishId);
        if (error)
          reject(
            error instanceof Error ? error : new PublishRejectedError(`broker nacked ${target.routingKey}`),
          );
        else if (wasReturned) {
          reject(
            new UnroutableError(
              `no queue is bound for "${target.routingKey}" on "${target.exchange || '(default)'}"`,
            ),
          );
        } else resolve();
      },
    );
    // Respect the socket's backpressure instead of buffering without bound.
    if (!ok) once(channel, 'drain').catch(() => undefined);
  });
  await confirmed;
}
