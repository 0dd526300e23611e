import type { Envelope } from '@delivery/contracts';
import { type Broker, type Logger, silentLogger, type TransientSubscription } from '@delivery/messaging';
import { EventLog, type ResyncReason } from './event-log.js';
import type { EventFilter, LiveEvent } from './live-event.js';
import { matchesFilter } from './live-event.js';
import { VISIBLE_EVENTS, VISIBLE_ROUTING_KEYS } from './visible-events.js';

export interface EventHubOptions {
  /** Events kept for replay to reconnecting clients (default 1000). */
  bufferEvents?: number;
  /** Bytes of events kept for replay (default 8 MiB). */
  bufferBytes?: number;
  /** An event whose JSON is larger goes without its payload (default 64 KiB; see eventData). */
  maxEventBytes?: number;
  /** This replica's queue is `<queuePrefix>.<uuid>` (default `gateway.live-events`). */
  queuePrefix?: string;
  logger?: Logger;
}

/** What a subscriber is told after its opening: an event, a gap (refetch), or the end. */
export type HubSignal =
  | { kind: 'event'; event: LiveEvent }
  | { kind: 'resync'; reason: ResyncReason; id: string }
  | { kind: 'closed' };

export interface SubscribeRequest {
  filter: EventFilter;
  /** The client's last event id, if it is resuming. */
  lastEventId?: string;
  /** The most a replay may hold; beyond it the client is told to refetch. */
  maxReplayBytes: number;
}

/** What a new subscriber gets first: the events it missed, or why it must refetch; then `headId`. */
export interface Opening {
  replay: LiveEvent[];
  resync?: ResyncReason;
  /** The stream's position now: the client's last event id once the opening is sent. */
  headId: string;
}

export interface Subscription {
  opening: Opening;
  unsubscribe(): void;
}

export class EventHubClosedError extends Error {
  constructor() {
    super('the event hub is closed');
    this.name = 'EventHubClosedError';
  }
}

interface Subscriber {
  filter: EventFilter;
  listener: (signal: HubSignal) => void;
}

export interface EventHubStats {
  headId: string;
  buffered: { events: number; bytes: number };
  subscribers: number;
  /** Messages dropped as malformed or unknown. */
  dropped: number;
  /** Times this replica lost its queue and told its subscribers to refetch. */
  gaps: number;
}

/**
 * One replica's live events: it consumes the events exchange through a queue of its own (every
 * replica gets every event; the queue dies with the process), numbers what it receives in a
 * bounded log, and fans it out to its subscribers (the SSE streams) in the order received.
 */
export class EventHub {
  readonly #log: EventLog;
  readonly #subscribers = new Set<Subscriber>();
  readonly #logger: Logger;
  #subscription: TransientSubscription | undefined;
  #closed = false;
  #dropped = 0;
  #gaps = 0;

  private constructor(options: EventHubOptions) {
    this.#logger = options.logger ?? silentLogger;
    this.#log = new EventLog({
      maxEvents: options.bufferEvents ?? 1_000,
      maxBytes: options.bufferBytes ?? 8 * 1024 * 1024,
      maxEventBytes: options.maxEventBytes ?? 64 * 1024,
    });
  }

  /** Starts consuming on `broker` (whose topology names the events exchange). */
  static async start(broker: Broker, options: EventHubOptions = {}): Promise<EventHub> {
    const hub = new EventHub(options);
    hub.#subscription = await broker.consumeTransient({
      namePrefix: options.queuePrefix ?? 'gateway.live-events',
      bindings: VISIBLE_ROUTING_KEYS,
      messages: VISIBLE_EVENTS,
      handle: (envelope) => hub.#receive(envelope),
      onSubscribed: ({ afterGap }) => {
        if (afterGap) hub.#restartAfterGap();
      },
      onDropped: () => {
        hub.#dropped += 1;
      },
    });
    return hub;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  stats(): EventHubStats {
    return {
      headId: this.#log.headId,
      buffered: this.#log.size,
      subscribers: this.#subscribers.size,
      dropped: this.#dropped,
      gaps: this.#gaps,
    };
  }

  /**
   * Registers a subscriber and returns its opening, computed in the same tick: no event can fall
   * between what it replays and what `listener` gets next.
   */
  subscribe(request: SubscribeRequest, listener: (signal: HubSignal) => void): Subscription {
    if (this.#closed) throw new EventHubClosedError();
    const subscriber: Subscriber = { filter: request.filter, listener };
    this.#subscribers.add(subscriber);
    const headId = this.#log.headId;
    let opening: Opening = { replay: [], headId };
    if (request.lastEventId !== undefined) {
      const resume = this.#log.resume(request.lastEventId, request.filter, request.maxReplayBytes);
      opening =
        resume.kind === 'replay'
          ? { replay: resume.events, headId }
          : { replay: [], resync: resume.reason, headId };
    }
    return { opening, unsubscribe: () => void this.#subscribers.delete(subscriber) };
  }

  /** Stops consuming and ends every subscriber's stream; later subscriptions are refused. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#subscription
      ?.cancel()
      .catch((error: Error) =>
        this.#logger.warn({ err: error }, 'could not cancel the live events consumer'),
      );
    const subscribers = [...this.#subscribers];
    this.#subscribers.clear();
    for (const subscriber of subscribers) this.#tell(subscriber, { kind: 'closed' });
  }

  #receive(envelope: Envelope): void {
    if (this.#closed) return;
    const event = this.#log.append(envelope);
    if (!event) return;
    for (const subscriber of this.#subscribers) {
      if (matchesFilter(subscriber.filter, event)) this.#tell(subscriber, { kind: 'event', event });
    }
  }

  /** The broker link was lost and a new queue declared: what was published meanwhile is missing. */
  #restartAfterGap(): void {
    this.#gaps += 1;
    this.#log.restart();
    this.#logger.warn(
      { subscribers: this.#subscribers.size },
      'live events had a gap; clients told to refetch',
    );
    const signal: HubSignal = { kind: 'resync', reason: 'missed_events', id: this.#log.headId };
    for (const subscriber of this.#subscribers) this.#tell(subscriber, signal);
  }

  /** One subscriber failing must not keep the event from the others. */
  #tell(subscriber: Subscriber, signal: HubSignal): void {
    try {
      subscriber.listener(signal);
    } catch (error) {
      this.#subscribers.delete(subscriber);
      this.#logger.error({ err: error }, 'live events subscriber failed; dropped');
    }
  }
}
