import { createHash } from 'node:crypto';
import type { Channel, GetMessage, Options } from 'amqplib';
import type { Broker } from './broker.js';
import {
  DEAD_LETTER_REASON_HEADER,
  DEAD_LETTERED_AT_HEADER,
  FIRST_FAILURE_HEADER,
  LAST_ERROR_HEADER,
  ORIGINAL_EXCHANGE_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
  RETRY_ATTEMPT_HEADER,
} from './consumer.js';
import { BrokerUnavailableError, PublishRejectedError, UnroutableError } from './errors.js';
import { deadLetterQueueNames, sourceQueueOf, type Topology } from './topology.js';

/** One dead letter as operators see it. */
export interface DeadLetter {
  /** The envelope id (AMQP message id); a content hash for a message that had none. */
  id: string;
  type: string | null;
  reason: string;
  originalExchange: string;
  originalRoutingKey: string;
  firstFailureAt: string | null;
  lastFailureAt: string | null;
}

export interface DeadLetterQueueReport {
  queue: string;
  /** Messages in the queue (not counting any another reader holds at this moment); null if unread. */
  count: number | null;
  /** Up to the listing's limit, oldest first. */
  messages: DeadLetter[];
  /** Why the queue could not be read: it is not on the broker, or the broker failed. */
  error?: 'queue_missing' | 'broker_unavailable';
}

export type ReplaySelection = { id: string } | { all: true };

export class UnknownDeadLetterQueueError extends Error {
  override name = 'UnknownDeadLetterQueueError';
}

export class DeadLetterNotFoundError extends Error {
  override name = 'DeadLetterNotFoundError';
}

/** The dead-letter queue is not on the broker (an operator deleted it; the next connect declares it again). */
export class DeadLetterQueueMissingError extends Error {
  override name = 'DeadLetterQueueMissingError';
}

/** AMQP reply code for a queue that does not exist (it also closes the channel that asked). */
const NOT_FOUND = 404;

/** How long a listing or replay waits for the messages it gave back (fewer if some expired meanwhile). */
const RETURN_WAIT_MS = 2_000;

/** Headers that describe a past failure; a replayed message starts afresh without them. */
const FAILURE_HEADERS = [
  DEAD_LETTER_REASON_HEADER,
  DEAD_LETTERED_AT_HEADER,
  LAST_ERROR_HEADER,
  RETRY_ATTEMPT_HEADER,
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
  'x-delivery-count',
];

/**
 * A service's dead-letter queues, for operators. Reading never loses a message: messages are
 * taken unacked and given back when the reading channel closes. A replay publishes a copy,
 * confirmed, and only then acks the dead letter, so an interrupted replay leaves it in place
 * (at worst it is delivered twice; consumers are idempotent).
 *
 * A dead letter is replayed into the queue it was dead-lettered from (with its original routing
 * key in its headers), not to the events exchange: only the consumer that failed sees it again,
 * not every subscriber of the event.
 */
export class DeadLetters {
  readonly queues: readonly string[];

  constructor(
    private readonly broker: Broker,
    topology: Topology,
  ) {
    this.queues = deadLetterQueueNames(topology);
  }

  /** Each queue's count and oldest messages; a queue that cannot be read is reported with its error. */
  async list(limit: number): Promise<DeadLetterQueueReport[]> {
    return Promise.all(
      this.queues.map((queue) =>
        this.session(queue, async (channel, count) => {
          const messages: DeadLetter[] = [];
          for (let message = await get(channel, queue); message; message = await get(channel, queue)) {
            messages.push(describeDeadLetter(message));
            if (messages.length >= limit) break;
          }
          const report: DeadLetterQueueReport = { queue, count: Math.max(count, messages.length), messages };
          return { result: report, removed: 0 };
        }).catch(
          (error): DeadLetterQueueReport => ({
            queue,
            count: null,
            messages: [],
            error: error instanceof DeadLetterQueueMissingError ? 'queue_missing' : 'broker_unavailable',
          }),
        ),
      ),
    );
  }

  /**
   * How many messages each dead-letter queue holds (null where it cannot be read): one passive
   * declare per queue, nothing read, so a metrics scrape may ask it.
   */
  async depths(): Promise<{ queue: string; count: number | null }[]> {
    return Promise.all(
      this.queues.map(async (queue) => {
        try {
          const channel = await this.broker.openChannel();
          try {
            return { queue, count: (await channel.checkQueue(queue)).messageCount };
          } finally {
            await channel.close().catch(() => undefined);
          }
        } catch {
          return { queue, count: null };
        }
      }),
    );
  }

  /** Replays one dead letter (by id) or all those in the queue now; returns the replayed ids. */
  async replay(queue: string, selection: ReplaySelection): Promise<string[]> {
    if (!this.queues.includes(queue)) {
      throw new UnknownDeadLetterQueueError(`"${queue}" is not a dead-letter queue of this service`);
    }
    const wanted = 'id' in selection ? selection.id : undefined;
    return this.session(queue, async (channel, count) => {
      // All: only those there now, so a message that fails again and comes back is not replayed
      // twice. One: every message is read once (each stays held until the channel closes).
      const limit = wanted === undefined ? count : Number.POSITIVE_INFINITY;
      const replayed: string[] = [];
      for (let read = 0; read < limit; read += 1) {
        const message = await get(channel, queue);
        if (!message) break;
        const { id } = describeDeadLetter(message);
        if (wanted !== undefined && id !== wanted) continue;
        await this.broker.publishContent(
          '',
          sourceQueueOf(queue),
          message.content,
          replayProperties(message),
        );
        channel.ack(message);
        replayed.push(id);
        if (wanted !== undefined) break;
      }
      if (wanted !== undefined && replayed.length === 0) {
        throw new DeadLetterNotFoundError(`no dead letter "${wanted}" in "${queue}"`);
      }
      return { result: replayed, removed: replayed.length };
    });
  }

  /**
   * Runs `work` on a channel of its own (given the queue's message count), closes it, which gives
   * back every message left unacked, and waits (bounded) until they are readable again: the
   * broker takes them back asynchronously, and a replay right after a listing must see them.
   * Fails with one of this module's errors or the broker's publish errors, nothing else.
   */
  private async session<T>(
    queue: string,
    work: (channel: Channel, count: number) => Promise<{ result: T; removed: number }>,
  ): Promise<T> {
    try {
      const channel = await this.broker.openChannel();
      let count = 0;
      let outcome: { result: T; removed: number };
      try {
        count = (await channel.checkQueue(queue)).messageCount;
        outcome = await work(channel, count);
      } finally {
        await channel.close().catch(() => undefined);
      }
      await this.untilReadable(queue, count - outcome.removed);
      return outcome.result;
    } catch (error) {
      throw brokerFault(queue, error);
    }
  }

  private async untilReadable(queue: string, expected: number): Promise<void> {
    const channel = await this.broker.openChannel();
    try {
      const deadline = Date.now() + RETURN_WAIT_MS;
      while ((await channel.checkQueue(queue)).messageCount < expected && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}

/**
 * What went wrong, as callers can tell cases apart: our own and the publish's errors as they
 * are; a missing queue as such; anything else the channel threw (it closed, the connection
 * dropped) as the broker being unavailable.
 */
function brokerFault(queue: string, error: unknown): Error {
  const known =
    error instanceof DeadLetterNotFoundError ||
    error instanceof BrokerUnavailableError ||
    error instanceof PublishRejectedError ||
    error instanceof UnroutableError;
  if (known) return error;
  if ((error as { code?: unknown }).code === NOT_FOUND) {
    return new DeadLetterQueueMissingError(`"${queue}" is not on the broker (deleted?)`);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new BrokerUnavailableError(`could not read "${queue}": ${reason}`, { cause: error });
}

async function get(channel: Channel, queue: string): Promise<GetMessage | undefined> {
  return (await channel.get(queue, { noAck: false })) || undefined;
}

interface DeathRecord {
  reason?: unknown;
  exchange?: unknown;
  'routing-keys'?: unknown;
  time?: unknown;
}

/**
 * What a dead letter says about itself: our consumer's headers, or, for one the broker
 * dead-lettered itself (delivery limit reached), its `x-death` record.
 */
export function describeDeadLetter(message: GetMessage): DeadLetter {
  const headers = message.properties.headers ?? {};
  const deaths = Array.isArray(headers['x-death']) ? (headers['x-death'] as DeathRecord[]) : [];
  const latestDeath = deaths[0];
  const firstDeath = deaths.at(-1);
  const deathKeys = Array.isArray(latestDeath?.['routing-keys']) ? latestDeath['routing-keys'] : [];
  return {
    id:
      stringOrNull(message.properties.messageId) ??
      createHash('sha256').update(message.content).digest('hex').slice(0, 32),
    type: stringOrNull(message.properties.type),
    reason:
      stringOrNull(headers[DEAD_LETTER_REASON_HEADER]) ??
      (latestDeath ? `broker: ${String(latestDeath.reason)}` : 'unknown'),
    originalExchange:
      stringOrNull(headers[ORIGINAL_EXCHANGE_HEADER]) ?? stringOrNull(latestDeath?.exchange) ?? '',
    originalRoutingKey:
      stringOrNull(headers[ORIGINAL_ROUTING_KEY_HEADER]) ??
      stringOrNull(deathKeys[0]) ??
      message.fields.routingKey,
    firstFailureAt: stringOrNull(headers[FIRST_FAILURE_HEADER]) ?? timeOf(firstDeath?.time),
    lastFailureAt: stringOrNull(headers[DEAD_LETTERED_AT_HEADER]) ?? timeOf(latestDeath?.time),
  };
}

function replayProperties(message: GetMessage): Options.Publish {
  const { messageId, correlationId, type, timestamp } = message.properties;
  const headers: Record<string, unknown> = { ...message.properties.headers };
  const described = describeDeadLetter(message);
  for (const name of FAILURE_HEADERS) delete headers[name];
  return {
    messageId,
    correlationId,
    type,
    timestamp,
    headers: {
      ...headers,
      [ORIGINAL_ROUTING_KEY_HEADER]: described.originalRoutingKey,
      [ORIGINAL_EXCHANGE_HEADER]: described.originalExchange,
      'x-replayed-at': new Date().toISOString(),
    },
  };
}

const stringOrNull = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

/** An AMQP timestamp (seconds since the epoch) as ISO text. */
function timeOf(value: unknown): string | null {
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  if (value instanceof Date) return value.toISOString();
  return null;
}
