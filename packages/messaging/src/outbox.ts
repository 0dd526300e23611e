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

/**
 * The entries an update appends to `outbox` (`$push: { outbox: entry }` or `{ $each: [...] }`),
 * so a writer can publish exactly what it wrote.
 */
export function pushedOutboxEntries(update: { $push?: Record<string, unknown> } | undefined): OutboxEntry[] {
  const pushed = update?.$push?.outbox as OutboxEntry | { $each: OutboxEntry[] } | undefined;
  if (!pushed) return [];
  return '$each' in pushed ? pushed.$each : [pushed];
}

/**
 * The index the relay's scan uses (`schema.index(OUTBOX_SCAN_INDEX)` on every model with an
 * outbox): without it, real MongoDB would scan the whole collection every poll.
 */
export const OUTBOX_SCAN_INDEX = { 'outbox.envelope.occurredAt': 1 } as const;

export const eventEntry = (envelope: Envelope, routingKey = envelope.type): OutboxEntry => ({
  destination: 'event',
  routingKey,
  envelope,
});

export type PublishEntry = (entry: OutboxEntry) => Promise<void>;

/**
 * How a store tells its process which entries it just appended to document `id`, so they are
 * published at once (OutboxRelay.publishWritten). Nothing is lost if it does not: the relay's
 * scan publishes entries left behind.
 */
export type OutboxWritten = (id: string, entries: readonly OutboxEntry[]) => void;

export const ignoreWrites: OutboxWritten = () => undefined;

export interface OutboxRelayOptions {
  // biome-ignore lint/suspicious/noExplicitAny: the relay works on any model that embeds an outbox
  model: Model<any, any, any, any>;
  publish: PublishEntry;
  logger?: Logger;
  /** How often to scan for entries the writer did not publish (e.g. left by a crashed process). */
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long one relay holds a document's outbox before another may take it over (default 10 s). */
  lockMs?: number;
  /** Entries younger than this are the writer's to publish; the scan leaves them alone (default 2 s). */
  scanGraceMs?: number;
}

/**
 * Publishes outbox entries. Two paths:
 *  - `publishWritten(id, entries)` right after a write: the writer publishes from memory what it
 *    appended, then removes it — no read, no lock, no scan on the hot path;
 *  - a slow poll (`pollIntervalMs`) scans for entries older than `scanGraceMs`: whatever a crashed
 *    process left behind, or a publish that failed. Every process runs a relay over the same
 *    collection, so the scan first takes a short lock on a document's outbox, in the same atomic
 *    update that reads it, and only the winner publishes. The lock expires, so a relay that dies
 *    holding it delays those entries by `lockMs`, no more.
 * Works on the raw collection: the lock fields are the relay's business, not the schema's.
 */
export class OutboxRelay {
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = true;
  private readonly logger: Logger;
  /** Tells this relay's document locks from those of relays in other processes. */
  private readonly relayId = randomUUID();

  constructor(private readonly options: OutboxRelayOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  start(): void {
    this.stopped = false;
    this.schedulePoll(0);
  }

  /**
   * For a writer that knows what it just appended to document `id`: those entries are
   * published from memory and then removed, with no read and no lock. Only the scan could also
   * publish them, and it leaves entries younger than `scanGraceMs` alone.
   */
  publishWritten(id: unknown, entries: readonly OutboxEntry[]): void {
    if (this.stopped || entries.length === 0) return;
    this.track(
      this.publishEntries(id, entries, {}).catch((error) => {
        this.logger.warn({ err: error, id }, 'could not publish outbox entries yet; the scan will');
      }),
    );
  }

  /** Stops polling and waits for the publishing in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Publishes everything pending now, however young (used on shutdown). */
  async drain(): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    for (;;) {
      const found = await this.collection()
        .find({ 'outbox.0': { $exists: true }, ...this.lockFree(new Date()) })
        .project({ _id: 1 })
        .limit(batchSize)
        .toArray();
      await Promise.all(found.map((document) => this.publishById(document._id)));
      if (found.length < batchSize) return;
    }
  }

  private schedulePoll(delayMs: number): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      const pass = this.scanOnce()
        .catch((error) => {
          this.logger.warn({ err: error }, 'outbox relay scan failed; will retry');
          return 0;
        })
        .then((fullBatch) => {
          if (!this.stopped) this.schedulePoll(fullBatch > 0 ? 0 : (this.options.pollIntervalMs ?? 5_000));
        });
      this.track(pass);
    }, delayMs);
    this.pollTimer.unref();
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private lockFree(now: Date) {
    return { $or: [{ outboxLockedUntil: null }, { outboxLockedUntil: { $lt: now } }] };
  }

  /**
   * Finds documents whose oldest pending entry has waited longer than `scanGraceMs`: entries the
   * writer should have published and did not (the process that wrote them died, or its
   * publish failed). Younger ones are left to the writer, so under load the scan does not
   * compete with it. Returns how many documents it found (a full batch means "look again now").
   */
  private async scanOnce(): Promise<number> {
    const now = new Date();
    const batchSize = this.options.batchSize ?? 100;
    const overdue = new Date(now.getTime() - (this.options.scanGraceMs ?? 2_000)).toISOString();
    const found = await this.collection()
      .find({ 'outbox.envelope.occurredAt': { $lt: overdue }, ...this.lockFree(now) })
      .project({ _id: 1 })
      .limit(batchSize)
      .toArray();
    await Promise.all(found.map((document) => this.publishById(document._id)));
    return found.length === batchSize ? found.length : 0;
  }

  /** Locks the document's outbox (and reads it, in the same atomic update), publishes, removes. */
  private async publishById(id: unknown): Promise<number> {
    try {
      const now = new Date();
      const locked = (await this.collection().findOneAndUpdate(
        { _id: id as never, 'outbox.0': { $exists: true }, ...this.lockFree(now) },
        {
          $set: {
            outboxLockedUntil: new Date(now.getTime() + (this.options.lockMs ?? 10_000)),
            outboxLockedBy: this.relayId,
          },
        },
        { returnDocument: 'after', projection: { outbox: 1 } },
      )) as unknown as PendingDocument | null;
      if (!locked) return 0; // nothing pending, or another relay has it
      return await this.publishLocked(locked);
    } catch (error) {
      // Left for the next scan: publishing is retried, never dropped.
      this.logger.warn({ err: error, id }, 'could not publish outbox entries yet');
      return 0;
    }
  }

  private publishLocked(document: PendingDocument): Promise<number> {
    return this.publishEntries(document._id, document.outbox, {
      lockedBy: this.relayId,
      unlock: { outboxLockedUntil: null, outboxLockedBy: null },
    });
  }

  /** Publishes entries in order, then removes the ones that went out (and the lock, if held). */
  private async publishEntries(
    id: unknown,
    entries: readonly OutboxEntry[],
    lock: { lockedBy?: string; unlock?: Record<string, null> },
  ): Promise<number> {
    const published: string[] = [];
    try {
      for (const entry of entries) {
        await this.options.publish(entry);
        published.push(entry.envelope.id);
      }
    } finally {
      // Remove what went out even if a later entry failed, so it is not published again.
      // (The driver's typings cannot express a $pull by a nested field of an untyped document.)
      const removePublished = {
        $pull: { outbox: { 'envelope.id': { $in: published } } },
        ...(lock.unlock ? { $set: lock.unlock } : {}),
      } as unknown as mongo.UpdateFilter<mongo.Document>;
      const filter = { _id: id as never, ...(lock.lockedBy ? { outboxLockedBy: lock.lockedBy } : {}) };
      if (published.length > 0 || lock.unlock) await this.collection().updateOne(filter, removePublished);
    }
    return published.length;
  }

  private collection(): mongo.Collection {
    return this.options.model.collection as unknown as mongo.Collection;
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
