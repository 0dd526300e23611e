import { randomUUID } from 'node:crypto';
import type { Envelope } from '@delivery/contracts';
import { type Model, type mongo, Schema } from 'mongoose';
import { type Logger, silentLogger } from './logger.js';

/**
 * The outbox rule: a state change and the messages it causes are written in ONE document update,
 * as entries of that document's `outbox` array. The relay publishes pending entries with
 * confirms and only then removes them, so a crash anywhere between loses nothing (an entry may
 * go out twice; consumers de-duplicate by envelope id).
 */
export interface OutboxEntry {
  /** Where it goes: an event's routing key on the events exchange, or a command's queue. */
  destination: 'event' | 'command';
  routingKey: string;
  envelope: Envelope;
}

export const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    destination: { type: String, enum: ['event', 'command'], required: true },
    routingKey: { type: String, required: true },
    envelope: { type: Schema.Types.Mixed, required: true },
  },
  { _id: false },
);

/** Mongo update fragment that appends entries; merge it into the state-changing update. */
export function pushToOutbox(...entries: OutboxEntry[]): { $push: { outbox: { $each: OutboxEntry[] } } } {
  return { $push: { outbox: { $each: entries } } };
}

export const eventEntry = (envelope: Envelope, routingKey = envelope.type): OutboxEntry => ({
  destination: 'event',
  routingKey,
  envelope,
});

export type PublishEntry = (entry: OutboxEntry) => Promise<void>;

export interface OutboxRelayOptions {
  // biome-ignore lint/suspicious/noExplicitAny: the relay works on any model that embeds an outbox
  model: Model<any, any, any, any>;
  publish: PublishEntry;
  logger?: Logger;
  /** How often to look for entries nobody kicked the relay about (e.g. left by a crashed process). */
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long one relay holds a document's outbox before another may take it over (default 10 s). */
  lockMs?: number;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly logger: Logger;
  /** Tells this relay's document locks from those of relays in other processes. */
  private readonly relayId = randomUUID();

  constructor(private readonly options: OutboxRelayOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Call after a write that added entries, to publish them now rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling and waits for the batch in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Publishes everything pending now; resolves when the outbox was empty at some point. */
  async drain(): Promise<void> {
    while ((await this.publishBatch()) > 0) {
      // keep going until a pass finds nothing
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = (async () => {
      let published = 0;
      try {
        published = await this.publishBatch();
      } catch (error) {
        this.logger.warn({ err: error }, 'outbox relay pass failed; will retry');
      }
      this.running = undefined;
      if (this.stopped) return;
      const more = published > 0 || this.again;
      this.again = false;
      this.schedule(more ? 0 : (this.options.pollIntervalMs ?? 1_000));
    })();
    await this.running;
  }

  /**
   * One pass: documents are handled concurrently, each document's entries in order. Every
   * process runs a relay over the same collection, so a relay first locks a document's outbox
   * (one conditional write) and only the winner publishes it: entries normally go out once. The
   * lock expires, so a relay that dies holding it delays those entries by `lockMs`, no more.
   * Works on the raw collection: the lock fields are the relay's business, not the schema's.
   */
  private async publishBatch(): Promise<number> {
    const { batchSize = 100 } = this.options;
    const now = new Date();
    const documents = (await this.collection()
      .find({
        'outbox.0': { $exists: true },
        $or: [{ outboxLockedUntil: null }, { outboxLockedUntil: { $lt: now } }],
      })
      .project({ outbox: 1, outboxLockedUntil: 1 })
      .limit(batchSize)
      .toArray()) as unknown as PendingDocument[];
    const counts = await Promise.all(documents.map((document) => this.publishDocument(document, now)));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  private collection(): mongo.Collection {
    return this.options.model.collection as unknown as mongo.Collection;
  }

  private async publishDocument(document: PendingDocument, now: Date): Promise<number> {
    const collection = this.collection();
    const locked = await collection.updateOne(
      { _id: document._id, outboxLockedUntil: document.outboxLockedUntil ?? null },
      {
        $set: {
          outboxLockedUntil: new Date(now.getTime() + (this.options.lockMs ?? 10_000)),
          outboxLockedBy: this.relayId,
        },
      },
    );
    if (locked.modifiedCount !== 1) return 0; // another relay has it
    const published: string[] = [];
    try {
      for (const entry of document.outbox) {
        await this.options.publish(entry);
        published.push(entry.envelope.id);
      }
    } finally {
      // Remove what went out even if a later entry failed, so it is not published again.
      // (The driver's typings cannot express a $pull by a nested field of an untyped document.)
      const removePublished = {
        $pull: { outbox: { 'envelope.id': { $in: published } } },
        $set: { outboxLockedUntil: null, outboxLockedBy: null },
      } as unknown as mongo.UpdateFilter<mongo.Document>;
      await collection.updateOne({ _id: document._id, outboxLockedBy: this.relayId }, removePublished);
    }
    return published.length;
  }
}

interface PendingDocument {
  /** Typed as the driver's default; services may use string ids, which it handles the same. */
  _id: mongo.BSON.ObjectId;
  outboxLockedBy?: string | null;
  outbox: OutboxEntry[];
  outboxLockedUntil?: Date | null;
}

/** The usual publisher: events to the events exchange, commands to their queue. */
export function brokerPublisher(broker: {
  publishEvent(envelope: Envelope, routingKey?: string): Promise<void>;
  sendCommand(envelope: Envelope, queue?: string): Promise<void>;
}): PublishEntry {
  return (entry) =>
    entry.destination === 'event'
      ? broker.publishEvent(entry.envelope, entry.routingKey)
      : broker.sendCommand(entry.envelope, entry.routingKey);
}
