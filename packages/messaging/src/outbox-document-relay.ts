import type { mongo } from 'mongoose';
import type { Logger } from './logger.js';
import { type OutboxEntry, type PublishEntry, sequencedEntry } from './outbox.js';
import { type OutboxBackoff, outboxRetryDelayMs } from './outbox-backoff.js';
import { withTraceCarrier } from './tracing.js';

/**
 * What the relay reads when it locks a document. Its fields live on the raw document, outside
 * the services' schemas: `outboxSequence` (how many of the document's entries were published and
 * removed), `outboxLockedBy`/`outboxLockedUntil` (the lock), and while the oldest entry keeps
 * failing `outboxFailures`, `outboxRetryAt` and `outboxLastError`.
 */
interface LockedOutbox {
  /** Typed as the driver's default; services may use string ids, which it handles the same. */
  _id: mongo.BSON.ObjectId;
  outbox: OutboxEntry[];
  outboxSequence?: number;
  outboxFailures?: number;
}

/**
 * What relaying one document came to. After `published`, `failed` (its backoff is recorded) and
 * `skipped` (empty, locked or waiting) the next search does not find it again unless it has new
 * work; after `error` (e.g. the database failed) it may, so a search does not repeat at once.
 */
export type Outcome = 'published' | 'failed' | 'skipped' | 'error';

const LOCKED_OUTBOX = { outbox: 1, outboxSequence: 1, outboxFailures: 1 } as const;
const UNLOCK = { outboxLockedUntil: '', outboxLockedBy: '' } as const;
const NO_FAILURE = { outboxRetryAt: '', outboxFailures: '', outboxLastError: '' } as const;

export interface OutboxDocumentRelayOptions {
  collection: () => mongo.Collection;
  publish: PublishEntry;
  logger: Logger;
  /** The most entries published between two updates of the document (which renew the lock). */
  batchSize: number;
  lockMs: number;
  /** The longest one publish may take: a publish starts only while the lock has this long left. */
  publishTimeoutMs: number;
  backoff: OutboxBackoff;
  /** Tells this relay's locks from those of other processes; every lock taken adds its own count. */
  relayId: string;
}

/**
 * Relays one document's outbox at a time, in order: the holder of the document's outbox lock is
 * the only one that publishes. It takes the lock in the same atomic update that reads the
 * pending entries and the document's counter (`outboxSequence`), publishes them in array order
 * stamped with `subject` and `sequence` (counter + position), then removes them and adds their
 * number to the counter in an update filtered on its own lock: a relay whose lock expired and
 * was taken over changes nothing. It lets go of the lock only in an update that also proves no
 * entry arrived since it read the outbox (`$size`), so a writer whose own attempt found the lock
 * taken can count on the holder to publish its entries.
 *
 * The lock must not expire during a publish, or another relay would take the document over and
 * publish the same entries concurrently: the holder starts a publish only while its lock has at
 * least one publish timeout left; when it runs short, it removes what it published and renews
 * the lock (the same update as after a full batch) before going on.
 */
export class OutboxDocumentRelay {
  /** Every lock taken gets its own token, so even two calls in this process cannot act on each other's lock. */
  private locksTaken = 0;

  constructor(private readonly options: OutboxDocumentRelayOptions) {}

  /** The filter for documents no relay holds and (with `honourBackoff`) not waiting to retry. */
  available(now: Date, { honourBackoff }: { honourBackoff: boolean }) {
    const unlocked = { $or: [{ outboxLockedUntil: null }, { outboxLockedUntil: { $lt: now } }] };
    const due = { $or: [{ outboxRetryAt: null }, { outboxRetryAt: { $lte: now } }] };
    return { $and: honourBackoff ? [unlocked, due] : [unlocked] };
  }

  /** Locks the document's outbox and publishes until it is empty, an entry fails, or the lock is lost. */
  async relay(id: unknown, { honourBackoff }: { honourBackoff: boolean }): Promise<Outcome> {
    try {
      const lock = `${this.options.relayId}:${++this.locksTaken}`;
      let lockedUntil = this.lockExpiry();
      let document = await this.lock(id, lock, lockedUntil, honourBackoff);
      if (!document) return 'skipped'; // nothing pending, waiting to retry, or another relay has it
      for (;;) {
        const { published, failure } = await this.publishInOrder(document, lockedUntil);
        if (failure) {
          await this.backOff(document, lock, published, failure);
          return 'failed';
        }
        if (
          published.length === document.outbox.length &&
          (await this.unlockIfUnchanged(document, lock, published))
        ) {
          return 'published';
        }
        lockedUntil = this.lockExpiry();
        document = await this.removeKeepingLock(document._id, lock, lockedUntil, published);
        if (!document) return 'published'; // our lock expired and another relay took the document over
      }
    } catch (error) {
      // The document stays as it was (its lock expires): the scan tries it again.
      this.options.logger.warn({ err: error, id }, 'could not relay outbox entries yet');
      return 'error';
    }
  }

  /**
   * When a lock taken or renewed now expires. Read before the update is sent, so the holder's
   * idea of its lock never outlasts the lock others see.
   */
  private lockExpiry(): Date {
    return new Date(Date.now() + this.options.lockMs);
  }

  private async lock(
    id: unknown,
    lock: string,
    lockedUntil: Date,
    honourBackoff: boolean,
  ): Promise<LockedOutbox | null> {
    return (await this.collection().findOneAndUpdate(
      {
        _id: id as never,
        'outbox.0': { $exists: true },
        ...this.available(new Date(), { honourBackoff }),
      },
      { $set: { outboxLockedUntil: lockedUntil, outboxLockedBy: lock } },
      { returnDocument: 'after', projection: LOCKED_OUTBOX },
    )) as unknown as LockedOutbox | null;
  }

  /**
   * Publishes (up to a batch of) the pending entries in array order; stops at the first failure,
   * or before a publish that might outlast the lock.
   */
  private async publishInOrder(document: LockedOutbox, lockedUntil: Date) {
    const subject = String(document._id);
    const counter = document.outboxSequence ?? 0;
    const published: string[] = [];
    for (const [index, entry] of document.outbox.slice(0, this.options.batchSize).entries()) {
      if (lockedUntil.getTime() - Date.now() < this.options.publishTimeoutMs) break;
      try {
        const sequenced = sequencedEntry(entry, subject, counter + index + 1);
        await withTraceCarrier(entry.trace, () => this.options.publish(sequenced));
      } catch (error) {
        return { published, failure: { entry, error } };
      }
      published.push(entry.envelope.id);
    }
    return { published };
  }

  /** Removes what went out and lets go of the lock, only if nothing was appended since the read. */
  private async unlockIfUnchanged(
    document: LockedOutbox,
    lock: string,
    published: string[],
  ): Promise<boolean> {
    const result = await this.collection().updateOne(
      { _id: document._id, outboxLockedBy: lock, outbox: { $size: document.outbox.length } },
      removal(published, { $unset: { ...UNLOCK, ...NO_FAILURE } }),
    );
    return result.matchedCount === 1;
  }

  /** Removes what went out, keeps (and extends) the lock, and reads what is pending now. */
  private async removeKeepingLock(
    id: unknown,
    lock: string,
    lockedUntil: Date,
    published: string[],
  ): Promise<LockedOutbox | null> {
    return (await this.collection().findOneAndUpdate(
      { _id: id as never, outboxLockedBy: lock },
      removal(published, {
        $set: { outboxLockedUntil: lockedUntil },
        $unset: NO_FAILURE,
      }),
      { returnDocument: 'after', projection: LOCKED_OUTBOX },
    )) as unknown as LockedOutbox | null;
  }

  /** Removes what went out, unlocks, and makes the document wait before its failed entry is tried again. */
  private async backOff(
    document: LockedOutbox,
    lock: string,
    published: string[],
    failure: { entry: OutboxEntry; error: unknown },
  ): Promise<void> {
    const failures = (document.outboxFailures ?? 0) + 1;
    const retryInMs = outboxRetryDelayMs(failures, this.options.backoff);
    const { destination, routingKey } = failure.entry;
    this.options.logger.warn(
      { err: failure.error, id: document._id, destination, routingKey, failures, retryInMs },
      'outbox entry not published; its document waits, the others go on',
    );
    const lastError = failure.error instanceof Error ? failure.error.message : String(failure.error);
    await this.collection().updateOne(
      { _id: document._id, outboxLockedBy: lock },
      removal(published, {
        $set: { outboxRetryAt: new Date(Date.now() + retryInMs), outboxLastError: lastError.slice(0, 500) },
        $inc: { outboxFailures: 1 },
        $unset: UNLOCK,
      }),
    );
  }

  private collection(): mongo.Collection {
    return this.options.collection();
  }
}

/**
 * Adds to `update` the removal of the published entries and the matching step of the counter.
 * (The driver's typings cannot express a $pull by a nested field of an untyped document.)
 */
function removal(
  published: string[],
  update: { $set?: object; $unset?: object; $inc?: Record<string, number> },
): mongo.UpdateFilter<mongo.Document> {
  if (published.length === 0) return update as mongo.UpdateFilter<mongo.Document>;
  return {
    ...update,
    $pull: { outbox: { 'envelope.id': { $in: published } } },
    $inc: { ...update.$inc, outboxSequence: published.length },
  } as unknown as mongo.UpdateFilter<mongo.Document>;
}
