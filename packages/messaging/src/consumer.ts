import type { Envelope, MessageDefinition } from '@delivery/contracts';
import type { Channel, ConsumeMessage, Options } from 'amqplib';
import type { z } from 'zod';
import type { Consumption } from './attached-consumer.js';
import { type ConsumerMetrics, type DeadLetterReason, noConsumerMetrics } from './consumer-metrics.js';
import { decodeMessage } from './decode-message.js';
import { UnprocessableMessageError } from './errors.js';
import type { Logger } from './logger.js';
import { nextStepAfterFailure } from './retry-policy.js';
import { deadLetterQueueName, retryQueueName } from './topology.js';
import { envelopeAttributes, withConsumeSpan } from './tracing.js';

export const RETRY_ATTEMPT_HEADER = 'x-retry-attempt';
export const LAST_ERROR_HEADER = 'x-last-error';
export const DEAD_LETTER_REASON_HEADER = 'x-dead-letter-reason';
export const ORIGINAL_ROUTING_KEY_HEADER = 'x-original-routing-key';
export const ORIGINAL_EXCHANGE_HEADER = 'x-original-exchange';
/** When a handler first failed on the message (kept across retries and replays). */
export const FIRST_FAILURE_HEADER = 'x-first-failure-at';
/** When the message was last dead-lettered: its last failure. */
export const DEAD_LETTERED_AT_HEADER = 'x-dead-lettered-at';

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
 * What a durable queue's consumer does with each delivery (its AttachedConsumer attaches it and
 * keeps it attached). A message is acked only once its effect is done: the handler succeeded,
 * or a retry copy or dead-letter copy was confirmed by the broker.
 */
export class QueueConsumer implements Consumption {
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly retryDelaysMs: readonly number[],
    private readonly republish: Republish,
    private readonly logger: Logger,
    private readonly metrics: ConsumerMetrics = noConsumerMetrics,
  ) {}

  get queue(): string {
    return this.spec.queue;
  }

  get prefetch(): number {
    return this.spec.prefetch ?? 16;
  }

  /** The queue is the topology's, declared with it. */
  queueOn(): Promise<string> {
    return Promise.resolve(this.spec.queue);
  }

  deliver(channel: Channel, message: ConsumeMessage): void {
    void this.onMessage(channel, message);
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
    const failure = failureHeaders(message, routingKey);
    const decoded = decodeMessage(message.content, this.spec.messages);
    if (!decoded.ok) {
      this.logger.warn({ queue: this.queue, reason: decoded.reason }, 'dead-lettering malformed message');
      await this.deadLetter(message, failure, decoded.reason, 'malformed');
      channel.ack(message);
      return;
    }
    const retryAttempt = Number(headers[RETRY_ATTEMPT_HEADER] ?? 0);
    const started = process.hrtime.bigint();
    try {
      await withConsumeSpan(this.queue, routingKey, headers, envelopeAttributes(decoded.envelope), () =>
        this.spec.handle(decoded.envelope as never, {
          routingKey,
          retryAttempt,
          redelivered: message.fields.redelivered,
        }),
      );
      this.metrics.handled(this.queue, Number(process.hrtime.bigint() - started) / 1e9);
    } catch (error) {
      await this.onHandlerFailure(message, failure, retryAttempt, error as Error);
    }
    channel.ack(message);
  }

  private async onHandlerFailure(
    message: ConsumeMessage,
    failure: Record<string, unknown>,
    retries: number,
    error: Error,
  ) {
    const unprocessable = error instanceof UnprocessableMessageError;
    const step = unprocessable
      ? ({ action: 'dead-letter' } as const)
      : nextStepAfterFailure(retries, this.retryDelaysMs);
    const reason = `${error.name}: ${error.message}`;
    if (step.action === 'dead-letter') {
      this.logger.error({ queue: this.queue, err: error, retries }, 'handler kept failing; dead-lettering');
      await this.deadLetter(message, failure, reason, unprocessable ? 'unprocessable' : 'retries_exhausted');
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
        ...failure,
        [RETRY_ATTEMPT_HEADER]: step.attempt,
        [LAST_ERROR_HEADER]: reason,
      }),
    );
    this.metrics.retried(this.queue);
  }

  /** Counted once the broker confirmed the copy: a copy that failed leaves the message to redeliver. */
  private async deadLetter(
    message: ConsumeMessage,
    failure: Record<string, unknown>,
    reason: string,
    why: DeadLetterReason,
  ): Promise<void> {
    await this.republish(
      deadLetterQueueName(this.queue),
      message.content,
      copyProperties(message, {
        ...failure,
        [DEAD_LETTER_REASON_HEADER]: reason,
        [DEAD_LETTERED_AT_HEADER]: new Date().toISOString(),
      }),
    );
    this.metrics.deadLettered(this.queue, why);
  }
}

/** Where the message was first sent and when it first failed, carried by its retry and dead-letter copies. */
function failureHeaders(message: ConsumeMessage, routingKey: string): Record<string, unknown> {
  const headers = message.properties.headers ?? {};
  return {
    [ORIGINAL_ROUTING_KEY_HEADER]: routingKey,
    [ORIGINAL_EXCHANGE_HEADER]: String(headers[ORIGINAL_EXCHANGE_HEADER] ?? message.fields.exchange),
    [FIRST_FAILURE_HEADER]: String(headers[FIRST_FAILURE_HEADER] ?? new Date().toISOString()),
  };
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
