import type { Envelope } from '@delivery/contracts';
import { Schema } from 'mongoose';
import type { PublishOptions } from './broker.js';
import { activeTraceCarrier, type TraceCarrier } from './tracing.js';

/**
 * The outbox rule: a state change and the messages it causes are written in ONE document update,
 * as entries appended to that document's `outbox` array (writers only ever append). The relay
 * (outbox-relay.ts) publishes pending entries in array order with confirms and only then removes
 * them, so a crash anywhere between loses nothing (an entry may go out twice, with the same id and
 * sequence; consumers de-duplicate).
 */
export interface OutboxEntry {
  /** Where it goes: an event's routing key on the events exchange, or a command's queue. */
  destination: 'event' | 'command';
  routingKey: string;
  envelope: Envelope;
  /**
   * The trace context the entry was written in: the relay publishes it under this context, so
   * the message stays in the trace of what caused it even when published later or elsewhere.
   */
  trace?: TraceCarrier | undefined;
}

export const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    destination: { type: String, enum: ['event', 'command'], required: true },
    routingKey: { type: String, required: true },
    envelope: { type: Schema.Types.Mixed, required: true },
    trace: { type: Schema.Types.Mixed },
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
 * Stamps an entry with its place in the document's order: `subject` names the entity (the
 * document's id unless the writer named it) and `sequence` counts the document's entries.
 */
export function sequencedEntry(entry: OutboxEntry, subject: string, sequence: number): OutboxEntry {
  return { ...entry, envelope: { ...entry.envelope, subject: entry.envelope.subject ?? subject, sequence } };
}

/**
 * A projection for reads that show a document to users: it leaves out the outbox and the relay's
 * own fields on the document (its counter, lock and retry state; see OutboxDocumentRelay).
 */
export const WITHOUT_OUTBOX_FIELDS = {
  outbox: 0,
  outboxSequence: 0,
  outboxLockedUntil: 0,
  outboxLockedBy: 0,
  outboxRetryAt: 0,
  outboxFailures: 0,
  outboxLastError: 0,
} as const;

/**
 * The index the relay's scan uses (`schema.index(OUTBOX_SCAN_INDEX)` on every model with an
 * outbox): without it, real MongoDB would scan the whole collection every poll.
 */
export const OUTBOX_SCAN_INDEX = { 'outbox.envelope.occurredAt': 1 } as const;

/**
 * The two ways to make an entry. Both save the active trace context (see OutboxEntry.trace), so
 * write entries while handling what caused them, not later.
 */
export const eventEntry = (envelope: Envelope, routingKey = envelope.type): OutboxEntry => ({
  destination: 'event',
  routingKey,
  envelope,
  trace: activeTraceCarrier(),
});

export const commandEntry = (envelope: Envelope, queue: string): OutboxEntry => ({
  destination: 'command',
  routingKey: queue,
  envelope,
  trace: activeTraceCarrier(),
});

export type PublishEntry = (entry: OutboxEntry) => Promise<void>;

/**
 * How a store tells its process that it just appended entries to document `id`, so the
 * document's pending entries are published at once (OutboxRelay.publishWritten). Nothing is lost
 * if it does not: the relay's scan publishes entries left behind.
 */
export type OutboxWritten = (id: string, entries: readonly OutboxEntry[]) => void;

export const ignoreWrites: OutboxWritten = () => undefined;

/** The usual publisher: events to the events exchange, commands to their queue. */
export function brokerPublisher(broker: {
  publishEvent(envelope: Envelope, routingKey?: string, options?: PublishOptions): Promise<void>;
  sendCommand(envelope: Envelope, queue?: string, options?: PublishOptions): Promise<void>;
}): PublishEntry {
  const options = { timeoutMs: RELAY_PUBLISH_TIMEOUT_MS };
  return (entry) =>
    entry.destination === 'event'
      ? broker.publishEvent(entry.envelope, entry.routingKey, options)
      : broker.sendCommand(entry.envelope, entry.routingKey, options);
}

/**
 * How long a relay waits for one publish. Shorter than a request's publish bound on purpose: a
 * relay publishes while holding a document's outbox lock, which must outlast any publish it
 * starts (the lock is twice this), and a relay that dies holding it delays that document's
 * messages until it expires. A publish that times out is retried with the document's backoff.
 */
export const RELAY_PUBLISH_TIMEOUT_MS = 5_000;
