import { EventEmitter, once } from 'node:events';
import type { Envelope } from '@delivery/contracts';
import amqp, { type Channel, type ChannelModel, type Options, type RecoveringChannelModel } from 'amqplib';
import { AttachedConsumer, type Consumption } from './attached-consumer.js';
import { PublishChannel } from './confirm-publish.js';
import { type ConsumerSpec, QueueConsumer } from './consumer.js';
import type { ConsumerMetrics } from './consumer-metrics.js';
import { declareDeadLetterQueues } from './declare-dead-letter-queues.js';
import {
  BrokerUnavailableError,
  PublishRejectedError,
  PublishTimeoutError,
  UnroutableError,
} from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import { declareTopology, retryDelaysOf, type Topology } from './topology.js';
import { withPublishSpan } from './tracing.js';
import {
  TransientConsumer,
  type TransientConsumerSpec,
  type TransientSubscription,
} from './transient-consumer.js';

/** How long a publish may wait in all (connection, a blocked broker, drain, confirm) by default. */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 15_000;

export interface PublishOptions {
  /** This publish's own bound, instead of the broker's `publishTimeoutMs`. */
  timeoutMs?: number;
}

export interface BrokerOptions {
  url: string;
  topology: Topology;
  logger?: Logger;
  /**
   * How long a publish may wait in all (for a connected channel, a blocked connection to be
   * unblocked, the socket to drain, the confirm) before failing loudly.
   */
  publishTimeoutMs?: number;
  /** Reconnect attempts before the first connection succeeds; after that it retries forever. */
  initialConnectRetries?: number;
  /** A name shown in the RabbitMQ management UI and `rabbitmqctl list_connections`. */
  connectionName?: string;
  /** Where durable queues' consumers report each delivery they settle (default: nowhere). */
  consumerMetrics?: ConsumerMetrics;
}

/**
 * One process's link to RabbitMQ: confirmed publishing and resilient consumers over a
 * self-healing connection. After every (re)connect it declares the topology again and resumes
 * every consumer; a publish made while disconnected waits (bounded) for the connection.
 */
export class Broker {
  private connection: RecoveringChannelModel | undefined;
  private model: ChannelModel | undefined;
  private publishChannel: PublishChannel | undefined;
  private openingPublishChannel: Promise<PublishChannel> | undefined;
  private readonly consumers: AttachedConsumer[] = [];
  private readonly events = new EventEmitter();
  private readonly logger: Logger;
  private readonly publishTimeoutMs: number;
  private closing = false;
  /** The broker blocked the connection (a memory or disk alarm): publishes would hang. */
  private blocked = false;
  private stoppingConsumers: Promise<void> | undefined;

  private constructor(private readonly options: BrokerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.publishTimeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    this.events.setMaxListeners(0);
  }

  static async connect(options: BrokerOptions): Promise<Broker> {
    const broker = new Broker(options);
    await broker.open();
    return broker;
  }

  get topology(): Topology {
    return this.options.topology;
  }

  isConnected(): boolean {
    return this.model !== undefined;
  }

  /** The queues whose consumer is not receiving (while disconnected: all of them). */
  detachedConsumers(): string[] {
    return this.consumers.filter((consumer) => !consumer.attached).map((consumer) => consumer.queue);
  }

  /**
   * A channel of its own on the current connection, for work beside publishing and consuming
   * (reading dead letters). The caller closes it; closing requeues whatever it left unacked.
   */
  async openChannel(): Promise<Channel> {
    const model = this.model;
    if (!model) throw new BrokerUnavailableError('broker disconnected');
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.logger.warn({ err: error }, 'channel error'));
    return channel;
  }

  /** Publishes raw content (a dead letter being replayed), persistent, mandatory and confirmed. */
  publishContent(
    exchange: string,
    routingKey: string,
    content: Buffer,
    properties: Options.Publish,
  ): Promise<void> {
    return this.publishConfirmed(exchange, routingKey, content, properties, this.publishTimeoutMs);
  }

  /** Publishes an event to the events exchange under its routing key (the envelope type). */
  publishEvent(
    envelope: Envelope,
    routingKey: string = envelope.type,
    options?: PublishOptions,
  ): Promise<void> {
    return this.publish(this.options.topology.eventsExchange, routingKey, envelope, options);
  }

  /** Sends a command straight to its owner's queue (the envelope type). */
  sendCommand(envelope: Envelope, queue: string = envelope.type, options?: PublishOptions): Promise<void> {
    return this.publish('', queue, envelope, options);
  }

  async publish(
    exchange: string,
    routingKey: string,
    envelope: Envelope,
    options: PublishOptions = {},
  ): Promise<void> {
    const headers: Record<string, unknown> = { 'x-correlation-id': envelope.correlationId };
    await withPublishSpan(exchange || routingKey, routingKey, headers, () =>
      this.publishConfirmed(
        exchange,
        routingKey,
        Buffer.from(JSON.stringify(envelope)),
        {
          messageId: envelope.id,
          correlationId: envelope.correlationId,
          type: envelope.type,
          timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
          headers,
        },
        options.timeoutMs ?? this.publishTimeoutMs,
      ),
    );
  }

  /** Starts a consumer now and again after every reconnect. */
  async consume<D extends ConsumerSpec['messages'][number]>(spec: ConsumerSpec<D>): Promise<void> {
    this.options.consumerMetrics?.consuming(spec.queue);
    await this.startConsumer(
      new QueueConsumer(
        spec as unknown as ConsumerSpec,
        retryDelaysOf(this.options.topology, spec.queue),
        (queue, content, properties) =>
          this.publishConfirmed('', queue, content, properties, this.publishTimeoutMs),
        this.logger,
        this.options.consumerMetrics,
      ),
    );
  }

  /**
   * Consumes events through a queue of this process alone (exclusive, auto-deleted, declared
   * afresh on every (re)connect): see TransientConsumer. Not part of the topology.
   */
  async consumeTransient<D extends TransientConsumerSpec['messages'][number]>(
    spec: TransientConsumerSpec<D>,
  ): Promise<TransientSubscription> {
    const consumer = await this.startConsumer(
      new TransientConsumer(
        spec as unknown as TransientConsumerSpec,
        this.options.topology.eventsExchange,
        this.logger,
      ),
    );
    return {
      cancel: async () => {
        const index = this.consumers.indexOf(consumer);
        if (index >= 0) this.consumers.splice(index, 1);
        await consumer.stop();
        await consumer.close();
      },
    };
  }

  /**
   * Stops taking messages and lets in-flight handlers finish (bounded). Publishing still works,
   * so what the handlers wrote can still go out before `close`.
   */
  async stopConsuming({ drainTimeoutMs = 10_000 } = {}): Promise<void> {
    this.stoppingConsumers ??= (async () => {
      await Promise.all(this.consumers.map((consumer) => consumer.stop()));
      const drained = Promise.all(this.consumers.map((consumer) => consumer.idle()));
      const timedOut = new Promise<'timeout'>((resolve) =>
        setTimeout(resolve, drainTimeoutMs, 'timeout').unref(),
      );
      if ((await Promise.race([drained, timedOut])) === 'timeout') {
        this.logger.warn({ drainTimeoutMs }, 'handlers still running; their messages will be redelivered');
      }
      // Closing each channel waits for the broker's close-ok, so every ack sent before it counts.
      await Promise.all(this.consumers.map((consumer) => consumer.close()));
    })();
    await this.stoppingConsumers;
  }

  /** Stops consuming (see stopConsuming), then closes the connection. */
  async close({ drainTimeoutMs = 10_000 } = {}): Promise<void> {
    if (this.closing) return;
    await this.stopConsuming({ drainTimeoutMs });
    this.closing = true;
    await this.connection?.close().catch(() => undefined);
    this.model = undefined;
  }

  private async open(): Promise<void> {
    this.connection = await amqp.connect(this.options.url, {
      clientProperties: { connection_name: this.options.connectionName ?? 'delivery-pipeline' },
      // Without it, Nagle's algorithm holds a publish's later frames until the broker ACKs the
      // first, which Linux delays by 40 ms: traces showed most confirmed publishes taking 40 ms.
      noDelay: true,
      recovery: {
        initialDelay: 100,
        maxDelay: 5_000,
        maxRetries: Number.POSITIVE_INFINITY,
        initialMaxRetries: this.options.initialConnectRetries ?? 10,
        setup: (model: ChannelModel) => this.onConnected(model),
      },
    });
    this.connection.on('disconnect', (error: Error) => {
      this.model = undefined;
      this.publishChannel = undefined;
      this.blocked = false;
      for (const consumer of this.consumers) consumer.detach();
      if (!this.closing) this.logger.warn({ err: error }, 'broker connection lost; reconnecting');
    });
    this.connection.on('error', (error: Error) =>
      this.logger.warn({ err: error }, 'broker connection error'),
    );
    this.connection.on('blocked', (reason: string) => {
      this.blocked = true;
      this.logger.warn({ reason }, 'broker blocked the connection; publishes wait (bounded)');
    });
    this.connection.on('unblocked', () => {
      this.blocked = false;
      this.logger.info({}, 'broker unblocked the connection');
      this.events.emit('unblocked');
    });
  }

  private async onConnected(model: ChannelModel): Promise<void> {
    const unbounded = await declareDeadLetterQueues(model, this.options.topology);
    if (unbounded.length > 0) {
      this.logger.warn(
        { queues: unbounded },
        'dead-letter queues declared before they had bounds stay unbounded: replay or drain, then delete them',
      );
    }
    const channel = await model.createChannel();
    await declareTopology(channel, this.options.topology, { deadLetterQueues: false });
    await channel.close();
    for (const consumer of this.consumers) await consumer.attach(model);
    this.model = model;
    this.logger.info({ consumers: this.consumers.length }, 'broker connected; topology declared');
    this.events.emit('connected');
  }

  /** Attaches a consumer now if connected, and after every reconnect. */
  private async startConsumer(consumption: Consumption): Promise<AttachedConsumer> {
    const consumer = new AttachedConsumer(consumption, this.logger);
    this.consumers.push(consumer);
    if (this.model) await consumer.attach(this.model);
    return consumer;
  }

  private async publishConfirmed(
    exchange: string,
    routingKey: string,
    content: Buffer,
    properties: Options.Publish,
    timeoutMs: number,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.waitWhileBlocked(deadline, routingKey);
      const target = await this.waitForPublishChannel(deadline, routingKey);
      try {
        await target.publish({ exchange, routingKey }, content, properties, deadline);
        return;
      } catch (error) {
        // Unroutable or nacked: retrying would give the same answer. Timed out: the bound is spent.
        const final =
          error instanceof UnroutableError ||
          error instanceof PublishRejectedError ||
          error instanceof PublishTimeoutError;
        if (final || Date.now() >= deadline || this.closing) throw error;
        // The channel or connection closed before the confirm: the broker may or may not have the
        // message, so publish again (consumers are idempotent by message id).
        this.logger.warn({ err: error, routingKey }, 'publish not confirmed; retrying after reconnect');
        if (this.publishChannel === target) this.publishChannel = undefined;
      }
    }
  }

  /**
   * Waits (within the publish's bound) for the broker to lift its block, rather than writing
   * into a connection it stopped reading.
   */
  private async waitWhileBlocked(deadline: number, routingKey: string): Promise<void> {
    if (!this.blocked) return;
    const remaining = deadline - Date.now();
    const unblocked = await once(this.events, 'unblocked', {
      signal: AbortSignal.timeout(Math.max(remaining, 1)),
    })
      .then(() => true)
      .catch(() => false);
    if (!unblocked) {
      throw new PublishTimeoutError(
        `the broker blocked the connection (resource alarm): could not publish "${routingKey}" in time`,
      );
    }
  }

  private async waitForPublishChannel(deadline: number, routingKey: string): Promise<PublishChannel> {
    for (;;) {
      if (this.closing && !this.model) throw new BrokerUnavailableError('broker connection is closed');
      if (this.publishChannel) return this.publishChannel;
      const model = this.model;
      if (model) {
        this.openingPublishChannel ??= this.openPublishChannel(model).finally(() => {
          this.openingPublishChannel = undefined;
        });
        try {
          return await this.openingPublishChannel;
        } catch (error) {
          this.logger.warn({ err: error }, 'could not open a publish channel');
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new BrokerUnavailableError(`broker unavailable: could not publish "${routingKey}" in time`);
      }
      await once(this.events, 'connected', { signal: AbortSignal.timeout(Math.min(remaining, 250)) }).catch(
        () => undefined,
      );
    }
  }

  private async openPublishChannel(model: ChannelModel): Promise<PublishChannel> {
    const channel = await model.createConfirmChannel();
    const publishChannel = new PublishChannel(channel);
    channel.on('error', (error: Error) => this.logger.warn({ err: error }, 'publish channel error'));
    channel.on('close', () => {
      if (this.publishChannel === publishChannel) this.publishChannel = undefined;
    });
    this.publishChannel = publishChannel;
    return publishChannel;
  }
}
