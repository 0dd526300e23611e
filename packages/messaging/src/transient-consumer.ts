import { randomUUID } from 'node:crypto';
import type { MessageDefinition } from '@delivery/contracts';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { z } from 'zod';
import type { EnvelopeOf } from './consumer.js';
import { decodeMessage } from './decode-message.js';
import type { Logger } from './logger.js';

type AnyDefinition = MessageDefinition<z.ZodType>;

/** Messages a transient queue holds at most while its process falls behind (oldest dropped past it). */
export const DEFAULT_TRANSIENT_MAX_LENGTH = 10_000;
const REATTACH_MIN_DELAY_MS = 100;
const REATTACH_MAX_DELAY_MS = 5_000;

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
export class TransientConsumer {
  private model: ChannelModel | undefined;
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private reattachTimer: NodeJS.Timeout | undefined;
  private reattachDelayMs = REATTACH_MIN_DELAY_MS;
  private subscriptions = 0;
  private stopped = false;

  constructor(
    private readonly spec: TransientConsumerSpec,
    private readonly exchange: string,
    private readonly logger: Logger,
  ) {}

  /** A stable label (the queue name changes with each subscription). */
  get queue(): string {
    return this.spec.namePrefix;
  }

  get attached(): boolean {
    return this.stopped || this.consumerTag !== undefined;
  }

  async attach(model: ChannelModel): Promise<void> {
    if (this.stopped) return;
    this.detach();
    this.model = model;
    try {
      await this.subscribe(model);
    } catch (error) {
      this.detach();
      throw error;
    }
  }

  detach(): void {
    clearTimeout(this.reattachTimer);
    this.reattachTimer = undefined;
    this.model = undefined;
    this.channel = undefined;
    this.consumerTag = undefined;
  }

  /** Cancelling the only consumer of an auto-delete queue deletes the queue. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reattachTimer);
    const { channel, consumerTag } = this;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
  }

  /** Handlers are synchronous: nothing is ever in flight between deliveries. */
  idle(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    const { channel } = this;
    this.channel = undefined;
    this.consumerTag = undefined;
    await channel?.close().catch(() => undefined);
  }

  private async subscribe(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn({ err: error, queue: this.queue }, 'transient consumer channel error'),
    );
    channel.on('close', () => this.onLost(channel, 'the consumer channel closed'));
    this.channel = channel;
    await channel.prefetch(this.spec.prefetch ?? 256);
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
    if (this.model !== model || this.channel !== channel || this.stopped) {
      await channel.close().catch(() => undefined);
      return;
    }
    this.spec.onSubscribed?.({ queue, afterGap: this.subscriptions > 0 });
    this.subscriptions += 1;
    const { consumerTag } = await channel.consume(queue, (message) => {
      if (message) this.onMessage(channel, message);
      else this.onLost(channel, 'the broker cancelled the consumer');
    });
    this.consumerTag = consumerTag;
    this.reattachDelayMs = REATTACH_MIN_DELAY_MS;
  }

  private onMessage(channel: Channel, message: ConsumeMessage): void {
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

  /** Only a loss of the current channel counts; its queue is gone, so a new one is declared. */
  private onLost(channel: Channel, why: string): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.consumerTag = undefined;
    void channel.close().catch(() => undefined);
    if (this.stopped || !this.model) return;
    this.logger.warn({ queue: this.queue, why }, 'transient consumer detached; re-attaching');
    this.scheduleReattach();
  }

  private scheduleReattach(): void {
    if (this.reattachTimer || this.stopped || !this.model) return;
    const delay = this.reattachDelayMs;
    this.reattachDelayMs = Math.min(delay * 2, REATTACH_MAX_DELAY_MS);
    this.reattachTimer = setTimeout(() => {
      this.reattachTimer = undefined;
      const { model } = this;
      if (!model || this.stopped || this.consumerTag) return;
      this.subscribe(model).catch((error: Error) => {
        this.logger.warn(
          { err: error, queue: this.queue },
          'could not re-attach transient consumer; retrying',
        );
        if (this.channel) void this.channel.close().catch(() => undefined);
        this.channel = undefined;
        this.scheduleReattach();
      });
    }, delay);
    this.reattachTimer.unref();
  }
}
