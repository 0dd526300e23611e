import { randomUUID } from 'node:crypto';
import type { MessageDefinition } from '@delivery/contracts';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { z } from 'zod';
import type { Consumption } from './attached-consumer.js';
import type { EnvelopeOf } from './consumer.js';
import { decodeMessage } from './decode-message.js';
import type { Logger } from './logger.js';

type AnyDefinition = MessageDefinition<z.ZodType>;

/** Messages a transient queue holds at most while its process falls behind (oldest dropped past it). */
export const DEFAULT_TRANSIENT_MAX_LENGTH = 10_000;

export interface TransientSubscribed {
  /** The queue this subscription reads. */
  queue: string;
  /**
   * True when an earlier queue of this consumer is gone (the connection or channel was lost):
   * whatever was published between the two was missed.
   */
  afterGap: boolean;
}

export interface TransientConsumerSpec<D extends AnyDefinition = AnyDefinition> {
  /** The queue is `<namePrefix>.<uuid>`, so operators see whose it is; readiness reports the prefix. */
  namePrefix: string;
  /** Routing keys (topic patterns allowed) bound from the events exchange. */
  bindings: readonly string[];
  /** The message types it accepts; anything else is logged, reported to `onDropped` and dropped. */
  messages: readonly D[];
  /** Runs synchronously, one message at a time, in delivery order. */
  handle(message: EnvelopeOf<D>, context: { routingKey: string }): void;
  /** Each new queue, called before its first message is delivered. */
  onSubscribed?(subscribed: TransientSubscribed): void;
  /** A message was dropped: malformed, of an unknown type, or its handler threw. */
  onDropped?(reason: string): void;
  prefetch?: number;
  maxLength?: number;
}

export interface TransientSubscription {
  /** Stops consuming; the queue is deleted with it. */
  cancel(): Promise<void>;
}

/**
 * A consumer of events through a queue of this process alone: for state that lives in the
 * process (fan-out to its own clients), where every replica needs every event and a queue must
 * not outlive its process. The queue is exclusive and auto-deleted: a dead process leaves
 * nothing behind. There is nothing to retry or dead-letter for: a message that fails is logged
 * and dropped, and the services that own those events keep them in their durable queues.
 *
 * Every (re)subscription declares a fresh queue, so a lost connection or channel is a gap the
 * consumer reports (`onSubscribed({ afterGap: true })`) rather than hides.
 */
export class TransientConsumer implements Consumption {
  private subscriptions = 0;

  constructor(
    private readonly spec: TransientConsumerSpec,
    private readonly exchange: string,
    private readonly logger: Logger,
  ) {}

  /** A stable label (the queue name changes with each subscription). */
  get queue(): string {
    return this.spec.namePrefix;
  }

  get prefetch(): number {
    return this.spec.prefetch ?? 256;
  }

  /** A fresh queue each time: whatever the last one held went with it. */
  async queueOn(channel: Channel): Promise<string> {
    const queue = `${this.spec.namePrefix}.${randomUUID()}`;
    await channel.assertQueue(queue, {
      exclusive: true,
      autoDelete: true,
      durable: false,
      arguments: {
        'x-queue-type': 'classic',
        'x-max-length': this.spec.maxLength ?? DEFAULT_TRANSIENT_MAX_LENGTH,
      },
    });
    for (const key of this.spec.bindings) await channel.bindQueue(queue, this.exchange, key);
    return queue;
  }

  onConsuming(queue: string): void {
    this.spec.onSubscribed?.({ queue, afterGap: this.subscriptions > 0 });
    this.subscriptions += 1;
  }

  /** Handlers are synchronous: nothing is ever in flight between deliveries. */
  idle(): Promise<void> {
    return Promise.resolve();
  }

  deliver(channel: Channel, message: ConsumeMessage): void {
    const decoded = decodeMessage(message.content, this.spec.messages);
    if (!decoded.ok) {
      this.drop(`malformed message: ${decoded.reason}`);
    } else {
      try {
        this.spec.handle(decoded.envelope as never, { routingKey: message.fields.routingKey });
      } catch (error) {
        this.drop(`handler failed: ${(error as Error).message}`);
      }
    }
    try {
      channel.ack(message);
    } catch {
      // the channel is closing: its queue goes with it
    }
  }

  private drop(reason: string): void {
    this.logger.warn({ queue: this.queue, reason }, 'dropping message');
    this.spec.onDropped?.(reason);
  }
}
