import type { Envelope } from '@delivery/contracts';
import { formatEventId, newEpoch, parseEventId } from './event-id.js';
import { type EventFilter, type LiveEvent, matchesFilter, toLiveEvent } from './live-event.js';

export interface EventLogBounds {
  /** Events kept for replay, at most. */
  maxEvents: number;
  /** Bytes of framed events kept for replay, at most (the newest event is always kept). */
  maxBytes: number;
  /** An event's `data` larger than this is sent truncated (see eventData). */
  maxEventBytes: number;
}

/**
 * Why a client that asked to resume must refetch instead:
 *  - `unknown_id`: not an id this stream handed out (malformed, or ahead of it);
 *  - `other_epoch`: from another replica, from before a restart, or from before a gap;
 *  - `too_old`: older than what the buffer still holds;
 *  - `too_much_to_replay`: what it missed is more than one client may have buffered;
 *  - `missed_events`: this replica itself missed events (its broker link was lost).
 */
export type ResyncReason = 'unknown_id' | 'other_epoch' | 'too_old' | 'too_much_to_replay' | 'missed_events';

export type Resume = { kind: 'replay'; events: LiveEvent[] } | { kind: 'resync'; reason: ResyncReason };

/**
 * The recent events of one replica's stream, in order, with increasing ids, bounded by count and
 * bytes: what a reconnecting client missed is replayed from here. Pure: no I/O, no timers.
 */
export class EventLog {
  #epoch: string;
  #lastSeq = 0;
  #events: LiveEvent[] = [];
  #bytes = 0;
  readonly #envelopeIds = new Set<string>();

  constructor(
    private readonly bounds: EventLogBounds,
    private readonly drawEpoch: () => string = newEpoch,
  ) {
    this.#epoch = drawEpoch();
  }

  /** The id of the newest position (`<epoch>-0` before any event). */
  get headId(): string {
    return formatEventId({ epoch: this.#epoch, seq: this.#lastSeq });
  }

  get size(): { events: number; bytes: number } {
    return { events: this.#events.length, bytes: this.#bytes };
  }

  /** Appends an event; undefined when the same envelope is still in the buffer (a redelivery). */
  append(envelope: Envelope): LiveEvent | undefined {
    if (this.#envelopeIds.has(envelope.id)) return undefined;
    this.#lastSeq += 1;
    const id = formatEventId({ epoch: this.#epoch, seq: this.#lastSeq });
    const event = toLiveEvent(envelope, id, this.#lastSeq, this.bounds.maxEventBytes);
    this.#events.push(event);
    this.#bytes += event.bytes;
    this.#envelopeIds.add(event.envelopeId);
    while (
      this.#events.length > 1 &&
      (this.#events.length > this.bounds.maxEvents || this.#bytes > this.bounds.maxBytes)
    ) {
      const evicted = this.#events.shift() as LiveEvent;
      this.#bytes -= evicted.bytes;
      this.#envelopeIds.delete(evicted.envelopeId);
    }
    return event;
  }

  /**
   * What a client whose last event was `lastEventId` missed, restricted to `filter`, if the
   * buffer still holds all of it and it is at most `maxBytes`; otherwise why it must refetch.
   */
  resume(lastEventId: string, filter: EventFilter, maxBytes: number): Resume {
    const position = parseEventId(lastEventId);
    if (!position) return { kind: 'resync', reason: 'unknown_id' };
    if (position.epoch !== this.#epoch) return { kind: 'resync', reason: 'other_epoch' };
    if (position.seq > this.#lastSeq) return { kind: 'resync', reason: 'unknown_id' };
    const firstSeq = this.#events[0]?.seq ?? this.#lastSeq + 1;
    if (position.seq < firstSeq - 1) return { kind: 'resync', reason: 'too_old' };
    const missed = this.#events
      .slice(position.seq - firstSeq + 1)
      .filter((event) => matchesFilter(filter, event));
    const bytes = missed.reduce((total, event) => total + event.bytes, 0);
    if (bytes > maxBytes) return { kind: 'resync', reason: 'too_much_to_replay' };
    return { kind: 'replay', events: missed };
  }

  /** Starts a new epoch with an empty buffer: every id handed out so far becomes unknown. */
  restart(): void {
    this.#epoch = this.drawEpoch();
    this.#lastSeq = 0;
    this.#events = [];
    this.#bytes = 0;
    this.#envelopeIds.clear();
  }
}
