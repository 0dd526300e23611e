import { randomUUID } from 'node:crypto';
import type { Model, mongo } from 'mongoose';
import { type Logger, silentLogger } from './logger.js';
import { type OutboxEntry, type PublishEntry, RELAY_PUBLISH_TIMEOUT_MS } from './outbox.js';
import type { OutboxBackoff } from './outbox-backoff.js';
import { OutboxDocumentRelay, type Outcome } from './outbox-document-relay.js';

export interface OutboxRelayOptions {
  // biome-ignore lint/suspicious/noExplicitAny: the relay works on any model that embeds an outbox
  model: Model<any, any, any, any>;
  publish: PublishEntry;
  logger?: Logger;
  /** How often to scan for entries the writer did not publish (e.g. left by a crashed process). */
  pollIntervalMs?: number;
  batchSize?: number;
  /**
   * The longest one `publish` may take (default RELAY_PUBLISH_TIMEOUT_MS, what brokerPublisher
   * bounds each publish by). A publish starts only while the document's lock has this long left.
   */
  publishTimeoutMs?: number;
  /**
   * How long one relay holds a document's outbox before another may take it over; renewed as
   * it publishes. Must exceed `publishTimeoutMs` (default twice it).
   */
  lockMs?: number;
  /** Entries younger than this are the writer's to publish; the scan leaves them alone (default 2 s). */
  scanGraceMs?: number;
  /** When a document whose oldest entry failed to publish is tried again (default 1 s doubling to 60 s). */
  backoff?: OutboxBackoff;
  /** The most `stop()` waits for publishing in progress, and `drain()` may take (default 10 s each). */
  drainTimeoutMs?: number;
}

/** See OutboxRelay.backlog. */
export interface OutboxBacklog {
  /** The collection whose documents carry this outbox. */
  collection: string;
  /** Documents with at least one entry not yet published. */
  documents: number;
  /** When the oldest pending entry was written; undefined when nothing waits. */
  oldestAt: Date | undefined;
}

/**
 * Publishes outbox entries so that no entry of a document goes out while an older one of the
 * same document is pending, each stamped with its `subject` and `sequence`: one document at a
 * time, under its outbox lock (see OutboxDocumentRelay). A crash after publishing and before
 * removing republishes the same entries with the same ids and sequence numbers.
 *
 * Two paths lead there:
 *  - `publishWritten(id)` right after a write (two round trips: lock-and-read, remove-and-unlock);
 *  - a slow poll (`pollIntervalMs`) scans for entries older than `scanGraceMs`: whatever a crashed
 *    process left behind, or a publish that failed.
 * A document whose oldest entry fails waits (growing `backoff`, recorded on the document) while
 * the others go on. Every process runs a relay over the same collection.
 */
export class OutboxRelay {
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = true;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly drainTimeoutMs: number;
  private readonly documents: OutboxDocumentRelay;

  constructor(private readonly options: OutboxRelayOptions) {
    this.logger = options.logger ?? silentLogger;
    this.batchSize = options.batchSize ?? 100;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
    const publishTimeoutMs = options.publishTimeoutMs ?? RELAY_PUBLISH_TIMEOUT_MS;
    const lockMs = options.lockMs ?? 2 * publishTimeoutMs;
    if (lockMs <= publishTimeoutMs) {
      throw new RangeError(
        `outbox relay: lockMs (${lockMs}) must exceed publishTimeoutMs (${publishTimeoutMs}), or no publish could start`,
      );
    }
    this.documents = new OutboxDocumentRelay({
      collection: () => this.collection(),
      publish: options.publish,
      logger: this.logger,
      batchSize: this.batchSize,
      lockMs,
      publishTimeoutMs,
      backoff: options.backoff ?? { firstDelayMs: 1_000, maxDelayMs: 60_000 },
      // Tells this relay's document locks from those of relays in other processes.
      relayId: randomUUID(),
    });
  }

  start(): void {
    this.stopped = false;
    this.schedulePoll(0);
  }

  /**
   * For a writer that just appended `entries` to document `id`: publishes the document's pending
   * entries, older ones first. If another relay holds the document's lock, that relay publishes
   * them: it only lets go of the lock when no entry arrived since it last read the outbox.
   * A document waiting to retry a failed entry is tried again at once: a write is a fresh chance.
   */
  publishWritten(id: unknown, entries: readonly OutboxEntry[]): void {
    if (this.stopped || entries.length === 0) return;
    this.track(this.documents.relay(id, { honourBackoff: false }));
  }

  /** Stops polling and waits (bounded by `drainTimeoutMs`) for the publishing in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    if (!(await finishesWithin(Promise.allSettled([...this.inFlight]), this.drainTimeoutMs))) {
      this.logger.warn(
        { drainTimeoutMs: this.drainTimeoutMs },
        'outbox publishing still in progress; left to its lock',
      );
    }
  }

  /**
   * Publishes everything pending now, however young (used on shutdown), within `drainTimeoutMs`.
   * Documents waiting to retry a failed entry are left alone, for the next relay.
   */
  async drain(): Promise<void> {
    const deadline = Date.now() + this.drainTimeoutMs;
    const passes = (async () => {
      while (Date.now() < deadline) {
        const outcomes = await this.relayFound({ 'outbox.0': { $exists: true } });
        if (!isFullBatchToRepeat(outcomes, this.batchSize)) return;
      }
    })();
    if (!(await finishesWithin(passes, this.drainTimeoutMs))) {
      this.logger.warn(
        { drainTimeoutMs: this.drainTimeoutMs },
        'outbox drain timed out; pending entries left for the next relay',
      );
    }
  }

  /**
   * What waits to be published: documents with pending entries and the oldest entry's time.
   * One count and one sorted read, both on the scan index (OUTBOX_SCAN_INDEX), so a metrics
   * scrape may ask it.
   */
  async backlog(): Promise<OutboxBacklog> {
    // Entries' `occurredAt` are ISO strings: every pending entry has one at or after ''.
    const pending = { 'outbox.envelope.occurredAt': { $gte: '' } };
    const [documents, oldest] = await Promise.all([
      this.collection().countDocuments(pending),
      this.collection()
        .find(pending)
        .sort({ 'outbox.envelope.occurredAt': 1 })
        .project<{ outbox?: { envelope?: { occurredAt?: string } }[] }>({ 'outbox.envelope.occurredAt': 1 })
        .limit(1)
        .next(),
    ]);
    const times = (oldest?.outbox ?? []).flatMap((entry) => {
      const at = Date.parse(entry.envelope?.occurredAt ?? '');
      return Number.isNaN(at) ? [] : [at];
    });
    return {
      collection: this.collection().collectionName,
      documents,
      oldestAt: times.length > 0 ? new Date(Math.min(...times)) : undefined,
    };
  }

  private schedulePoll(delayMs: number): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      const pass = this.scanOnce()
        .catch((error) => {
          this.logger.warn({ err: error }, 'outbox relay scan failed; will retry');
          return false;
        })
        .then((again) => {
          if (!this.stopped) this.schedulePoll(again ? 0 : (this.options.pollIntervalMs ?? 5_000));
        });
      this.track(pass);
    }, delayMs);
    this.pollTimer.unref();
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /**
   * Relays documents whose oldest entry has waited longer than `scanGraceMs`: entries the writer
   * should have published and did not (the process that wrote them died, or its publish failed).
   * Younger ones are left to the writer, so under load the scan does not compete with it.
   * Returns whether to look again at once.
   */
  private async scanOnce(): Promise<boolean> {
    const overdue = new Date(Date.now() - (this.options.scanGraceMs ?? 2_000)).toISOString();
    const outcomes = await this.relayFound({ 'outbox.envelope.occurredAt': { $lt: overdue } });
    return isFullBatchToRepeat(outcomes, this.batchSize);
  }

  /** Relays up to a batch of documents with pending entries that are neither locked nor waiting to retry. */
  private async relayFound(pending: mongo.Filter<mongo.Document>): Promise<Outcome[]> {
    const found = await this.collection()
      .find({ ...pending, ...this.documents.available(new Date(), { honourBackoff: true }) })
      .project({ _id: 1 })
      .limit(this.batchSize)
      .toArray();
    return Promise.all(found.map((document) => this.documents.relay(document._id, { honourBackoff: true })));
  }

  private collection(): mongo.Collection {
    return this.options.model.collection as unknown as mongo.Collection;
  }
}

/**
 * A full batch may mean more documents wait behind it: look again at once, unless an error left
 * documents that the next search would find again (that would spin on them).
 */
function isFullBatchToRepeat(outcomes: Outcome[], batchSize: number): boolean {
  return outcomes.length === batchSize && !outcomes.includes('error');
}

/** Whether `work` settles within `ms` (its failure is the caller's, as if awaited directly). */
async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([work.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
