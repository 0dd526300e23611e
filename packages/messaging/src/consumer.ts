import type { Envelope, MessageDefinition } from '@delivery/contracts';
import type { Channel, ChannelModel, ConsumeMessage, Options } from 'amqplib';
import type { z } from 'zod';
import { decodeMessage } from './decode-message.js';
import { UnprocessableMessageError } from './errors.js';
import type { Logger } from './logger.js';
import { nextStepAfterFailure } from './retry-policy.js';
import { deadLetterQueueName, retryQueueName } from './topology.js';
import { withConsumeSpan } from './tracing.js';

export const RETRY_ATTEMPT_HEADER = 'x-retry-attempt';
export const LAST_ERROR_HEADER = 'x-last-error';
export const DEAD_LETTER_REASON_HEADER = 'x-dead-letter-reason';
export const ORIGINAL_ROUTING_KEY_HEADER = 'x-original-routing-key';

type AnyDefinition = MessageDefinition<z.ZodType>;
export type EnvelopeOf<D> = D extends MessageDefinition<infer S> ? Envelope<z.output<S>> : never;

export interface DeliveryContext {
  routingKey: string;
  /** Retries already made for this message (0 on its first delivery). */
  retryAttempt: number;
  redelivered: boolean;
}

export interface ConsumerSpec<D extends AnyDefinition = AnyDefinition> {
  queue: string;
  /** The message types this queue accepts; anything else is dead-lettered. */
  messages: readonly D[];
  handle(message: EnvelopeOf<D>, context: DeliveryContext): Promise<void>;
  prefetch?: number;
}

/** Sends a copy of a message to a queue through the default exchange, confirmed. */
export type Republish = (queue: string, content: Buffer, properties: Options.Publish) => Promise<void>;

/**
 * One queue's consumer. It survives reconnects: the broker calls `attach` with each new
 * connection. A message is acked only once its effect is done: the handler succeeded, or a
 * retry copy or dead-letter copy was confirmed by the broker.
 */
export class QueueConsumer {
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly retryDelaysMs: readonly number[],
    private readonly republish: Republish,
    private readonly logger: Logger,
  ) {}

  get queue(): string {
    return this.spec.queue;
  }

  async attach(model: ChannelModel): Promise<void> {
    if (this.stopped) return;
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn({ err: error, queue: this.queue }, 'consumer channel error'),
    );
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await channel.prefetch(this.spec.prefetch ?? 16);
    const { consumerTag } = await channel.consume(this.queue, (message) => {
      if (message) void this.onMessage(channel, message);
    });
    this.channel = channel;
    this.consumerTag = consumerTag;
  }

  /** Stops taking new messages; in-flight ones carry on until `idle()` resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    const { channel, consumerTag } = this;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
  }

  /** Closes the channel; the broker requeues anything still unacked on it. */
  async close(): Promise<void> {
    const { channel } = this;
    this.channel = undefined;
    await channel?.close().catch(() => undefined);
  }

  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async onMessage(channel: Channel, message: ConsumeMessage): Promise<void> {
    this.inFlight += 1;
    try {
      await this.process(channel, message);
    } catch (error) {
      // The retry or dead-letter copy could not be confirmed (broker going away): leave the
      // message unacked so the broker redelivers it; nothing is lost.
      this.logger.warn({ err: error, queue: this.queue }, 'could not settle message; it will be redelivered');
      try {
        channel.nack(message, false, true);
      } catch {
        // channel already closed: the broker requeues unacked messages by itself
      }
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async process(channel: Channel, message: ConsumeMessage): Promise<void> {
    const headers = message.properties.headers ?? {};
    const routingKey = String(headers[ORIGINAL_ROUTING_KEY_HEADER] ?? message.fields.routingKey);
    const decoded = decodeMessage(message.content, this.spec.messages);
    if (!decoded.ok) {
      this.logger.warn({ queue: this.queue, reason: decoded.reason }, 'dead-lettering malformed message');
      await this.deadLetter(message, routingKey, decoded.reason);
      channel.ack(message);
      return;
    }
    const retryAttempt = Number(headers[RETRY_ATTEMPT_HEADER] ?? 0);
    try {
      await withConsumeSpan(this.queue, routingKey, headers, () =>
        this.spec.handle(decoded.envelope as never, {
          routingKey,
          retryAttempt,
          redelivered: message.fields.redelivered,
        }),
      );
    } catch (error) {
      await this.onHandlerFailure(message, routingKey, retryAttempt, error as Error);
    }
    channel.ack(message);
  }

  private async onHandlerFailure(message: ConsumeMessage, routingKey: string, retries: number, error: Error) {
    const step =
      error instanceof UnprocessableMessageError
        ? ({ action: 'dead-letter' } as const)
        : nextStepAfterFailure(retries, this.retryDelaysMs);
    const reason = `${error.name}: ${error.message}`;
    if (step.action === 'dead-letter') {
      this.logger.error({ queue: this.queue, err: error, retries }, 'handler kept failing; dead-lettering');
      await this.deadLetter(message, routingKey, reason);
      return;
    }
    this.logger.warn(
      { queue: this.queue, err: error, retry: step.attempt, delayMs: step.delayMs },
      'retrying',
    );
    await this.republish(
      retryQueueName(this.queue, step.attempt),
      message.content,
      copyProperties(message, {
        [RETRY_ATTEMPT_HEADER]: step.attempt,
        [LAST_ERROR_HEADER]: reason,
        [ORIGINAL_ROUTING_KEY_HEADER]: routingKey,
      }),
    );
  }

  private deadLetter(message: ConsumeMessage, routingKey: string, reason: string): Promise<void> {
    return this.republish(
      deadLetterQueueName(this.queue),
      message.content,
      copyProperties(message, {
        [DEAD_LETTER_REASON_HEADER]: reason,
        [ORIGINAL_ROUTING_KEY_HEADER]: routingKey,
        'x-dead-lettered-at': new Date().toISOString(),
      }),
    );
  }
}

/** Keeps the identity and trace headers of the original, adding what the copy is about. */
function copyProperties(message: ConsumeMessage, extraHeaders: Record<string, unknown>): Options.Publish {
  const { messageId, correlationId, type, timestamp } = message.properties;
  return {
    messageId,
    correlationId,
    type,
    timestamp,
    headers: { ...message.properties.headers, ...extraHeaders },
  };
}
