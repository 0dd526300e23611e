import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from './logger.js';

/** Bounds of the backoff between attempts to re-attach a consumer while its connection lives. */
const REATTACH_MIN_DELAY_MS = 100;
const REATTACH_MAX_DELAY_MS = 5_000;

/**
 * What one kind of consumer does with the channel its lifecycle gives it: which queue it reads
 * (declaring it first if it owns it) and what it does with each delivery. The durable
 * QueueConsumer and the TransientConsumer are the two kinds.
 */
export interface Consumption {
  /** The queue's name, or a stable label for a consumer whose queue changes, for logs and readiness. */
  readonly queue: string;
  readonly prefetch: number;
  /** The queue to consume on `channel`, declared here by a consumer that owns its queue. */
  queueOn(channel: Channel): Promise<string>;
  /** Called once `queue` is about to be consumed, so before its first delivery. */
  onConsuming?(queue: string): void;
  /** One delivery; it is settled on the channel it came on. */
  deliver(channel: Channel, message: ConsumeMessage): void;
  /** Resolves once no delivery is being handled. */
  idle(): Promise<void>;
}

/**
 * The attach / detach / re-attach lifecycle of a consumer, whatever it consumes. It survives
 * reconnects: the broker calls `attach` with each new connection and `detach` when it is lost.
 * It also survives losing only its subscription or its channel while the connection lives (the
 * broker cancelled it because its queue was deleted, or closed the channel, e.g. on
 * `consumer_timeout`): it re-attaches by itself with bounded backoff. A channel still open after
 * a cancel is kept, so deliveries being handled on it can still be acked there.
 */
export class AttachedConsumer {
  private model: ChannelModel | undefined;
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private reattachTimer: NodeJS.Timeout | undefined;
  private reattachDelayMs = REATTACH_MIN_DELAY_MS;
  private stopped = false;

  constructor(
    private readonly consumption: Consumption,
    private readonly logger: Logger,
  ) {}

  get queue(): string {
    return this.consumption.queue;
  }

  /** True while the broker delivers to this consumer (or once it was stopped on purpose). */
  get attached(): boolean {
    return this.stopped || this.consumerTag !== undefined;
  }

  /** Subscribes on a new connection; fails if it cannot (the broker then reconnects). */
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

  /** The connection is gone: nothing to re-attach to until `attach` brings a new one. */
  detach(): void {
    clearTimeout(this.reattachTimer);
    this.reattachTimer = undefined;
    this.model = undefined;
    this.channel = undefined;
    this.consumerTag = undefined;
  }

  /** Stops taking new messages; deliveries being handled carry on until `idle()` resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reattachTimer);
    const { channel, consumerTag } = this;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
  }

  idle(): Promise<void> {
    return this.consumption.idle();
  }

  /** Closes the channel; the broker requeues anything still unacked on it. */
  async close(): Promise<void> {
    const { channel } = this;
    this.channel = undefined;
    this.consumerTag = undefined;
    await channel?.close().catch(() => undefined);
  }

  /** Consumes on the current channel (still open after a broker-side cancel) or a new one. */
  private async subscribe(model: ChannelModel): Promise<void> {
    const channel = this.channel ?? (await this.openChannel(model));
    const queue = await this.consumption.queueOn(channel);
    if (!this.isCurrent(model, channel)) return;
    this.consumption.onConsuming?.(queue);
    const { consumerTag } = await channel.consume(queue, (message) => {
      if (message) this.consumption.deliver(channel, message);
      else this.onLost(channel, 'the broker cancelled the consumer');
    });
    // Detached, re-attached elsewhere or stopped meanwhile: this subscription is not wanted.
    if (!this.isCurrent(model, channel)) {
      await channel.cancel(consumerTag).catch(() => undefined);
      return;
    }
    this.consumerTag = consumerTag;
    this.reattachDelayMs = REATTACH_MIN_DELAY_MS;
  }

  private isCurrent(model: ChannelModel, channel: Channel): boolean {
    return this.model === model && this.channel === channel && !this.stopped;
  }

  private async openChannel(model: ChannelModel): Promise<Channel> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn({ err: error, queue: this.queue }, 'consumer channel error'),
    );
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.onLost(channel, 'the consumer channel closed');
    });
    await channel.prefetch(this.consumption.prefetch);
    this.channel = channel;
    return channel;
  }

  /** Only a loss on the current channel counts: an older channel's news is stale. */
  private onLost(channel: Channel, why: string): void {
    if (this.channel !== undefined && this.channel !== channel) return;
    this.consumerTag = undefined;
    if (this.stopped || !this.model) return;
    this.logger.warn({ queue: this.queue, why }, 'consumer detached; re-attaching');
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
        this.logger.warn({ err: error, queue: this.queue }, 'could not re-attach consumer; retrying');
        this.scheduleReattach();
      });
    }, delay);
    this.reattachTimer.unref();
  }
}
