import type { Channel, Options } from 'amqplib';

/**
 * The whole broker layout of a process, described once and declared after every (re)connect.
 *
 * For each consumer queue Q we declare:
 *  - Q            durable quorum queue, bound to the events exchange for its routing keys;
 *                 a message redelivered more than `deliveryLimit` times (a consumer that keeps
 *                 crashing on it) is dead-lettered to Q.dlq by the broker itself.
 *  - Q.retry.<n>  one quorum queue per retry delay; a message waits there for its TTL and is then
 *                 dead-lettered back into Q. One queue per delay, because a queue expires messages
 *                 only from its head: mixing delays in one queue would hold short ones behind long ones.
 *  - Q.dlq        where a message ends when it cannot be processed, with the reason in its headers.
 *                 Bounded by length and age (`deadLetters`): past either, the oldest are dropped.
 *                 Operators list and replay it (DeadLetters); listing requeues what it read.
 *
 * The events exchange has an alternate exchange: an event no queue is bound for (nobody
 * subscribed yet) is parked in `<exchange>.unrouted` instead of being dropped, so publishing an
 * event never fails for lack of subscribers, and nothing vanishes. Commands, which must reach
 * their owner's queue, are published to the default exchange and fail loudly when unroutable.
 *
 * Everything uses only features that RabbitMQ 3.10 and 4.x share (no delayed-message plugin).
 */
export interface QueueSpec {
  name: string;
  /** Routing keys (topic patterns allowed) bound from the events exchange. Commands use none. */
  bindings?: readonly string[];
  /** Delays before each retry; its length is the number of retries before dead-lettering. */
  retryDelaysMs?: readonly number[];
  /** Broker-side redelivery cap for messages that crash or stall a consumer without a reply. */
  deliveryLimit?: number;
  /** Bounds of Q.dlq; defaults: 10,000 messages, 14 days. */
  deadLetters?: DeadLetterBounds;
}

export interface DeadLetterBounds {
  maxLength?: number;
  maxAgeMs?: number;
}

export interface Topology {
  /** The durable topic exchange that carries every event. */
  eventsExchange: string;
  queues: readonly QueueSpec[];
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];
const DEFAULT_DELIVERY_LIMIT = 10;
export const DEFAULT_DEAD_LETTER_MAX_LENGTH = 10_000;
export const DEFAULT_DEAD_LETTER_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
/**
 * Listing a dead-letter queue reads messages and returns them, and every return counts as a
 * delivery. RabbitMQ 4 gives quorum queues a default delivery limit of 20 (3.10 none), past which
 * a message of a queue without a dead-letter target is dropped: set one no listing will reach.
 */
const DEAD_LETTER_DELIVERY_LIMIT = 1_000_000;

export const unroutedExchangeName = (eventsExchange: string): string => `${eventsExchange}.unrouted`;
export const unroutedQueueName = unroutedExchangeName;
/** Parked events beyond this are dropped oldest first: they had no subscriber when published. */
const UNROUTED_MAX_LENGTH = 100_000;

export const retryQueueName = (queue: string, attempt: number): string => `${queue}.retry.${attempt}`;
const DLQ_SUFFIX = '.dlq';
export const deadLetterQueueName = (queue: string): string => `${queue}${DLQ_SUFFIX}`;
/** The queue whose dead letters `dlq` holds. */
export const sourceQueueOf = (dlq: string): string => dlq.slice(0, -DLQ_SUFFIX.length);

const quorum = (args: Record<string, unknown> = {}): Options.AssertQueue => ({
  durable: true,
  arguments: { 'x-queue-type': 'quorum', ...args },
});

/** Dead-lettering that the broker confirms end to end, so a dead-lettered message is never dropped. */
const atLeastOnceDeadLetterTo = (queue: string) => ({
  'x-dead-letter-exchange': '',
  'x-dead-letter-routing-key': queue,
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
});

/** How Q.dlq is declared: bounded by length and age, the oldest dropped first. */
export const deadLetterQueueOptions = (bounds: DeadLetterBounds = {}): Options.AssertQueue =>
  quorum({
    'x-max-length': bounds.maxLength ?? DEFAULT_DEAD_LETTER_MAX_LENGTH,
    'x-message-ttl': bounds.maxAgeMs ?? DEFAULT_DEAD_LETTER_MAX_AGE_MS,
    'x-overflow': 'drop-head',
    'x-delivery-limit': DEAD_LETTER_DELIVERY_LIMIT,
  });

/**
 * Declares the whole topology on `channel`. `deadLetterQueues: false` leaves the dead-letter
 * queues out, for a caller that declared them already (declareDeadLetterQueues).
 */
export async function declareTopology(
  channel: Channel,
  topology: Topology,
  { deadLetterQueues = true } = {},
): Promise<void> {
  const unrouted = unroutedExchangeName(topology.eventsExchange);
  await channel.assertExchange(unrouted, 'fanout', { durable: true });
  await channel.assertQueue(
    unroutedQueueName(topology.eventsExchange),
    quorum({ 'x-max-length': UNROUTED_MAX_LENGTH, 'x-overflow': 'drop-head' }),
  );
  await channel.bindQueue(unroutedQueueName(topology.eventsExchange), unrouted, '');
  await channel.assertExchange(topology.eventsExchange, 'topic', {
    durable: true,
    alternateExchange: unrouted,
  });
  for (const queue of topology.queues) {
    const dlq = deadLetterQueueName(queue.name);
    if (deadLetterQueues) await channel.assertQueue(dlq, deadLetterQueueOptions(queue.deadLetters));
    await channel.assertQueue(
      queue.name,
      quorum({
        ...atLeastOnceDeadLetterTo(dlq),
        'x-delivery-limit': queue.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT,
      }),
    );
    const delays = queue.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (const [attempt, delay] of delays.entries()) {
      await channel.assertQueue(
        retryQueueName(queue.name, attempt + 1),
        quorum({ ...atLeastOnceDeadLetterTo(queue.name), 'x-message-ttl': delay }),
      );
    }
    for (const key of queue.bindings ?? []) {
      await channel.bindQueue(queue.name, topology.eventsExchange, key);
    }
  }
}

/** Every queue name a topology owns: used by tests and tools to clean up after themselves. */
export function queueNames(topology: Topology): string[] {
  const perQueue = topology.queues.flatMap((queue) => [
    queue.name,
    deadLetterQueueName(queue.name),
    ...(queue.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS).map((_, index) =>
      retryQueueName(queue.name, index + 1),
    ),
  ]);
  return [unroutedQueueName(topology.eventsExchange), ...perQueue];
}

export function exchangeNames(topology: Topology): string[] {
  return [topology.eventsExchange, unroutedExchangeName(topology.eventsExchange)];
}

/** The dead-letter queues of a topology, one per consumer queue. */
export function deadLetterQueueNames(topology: Topology): string[] {
  return topology.queues.map((queue) => deadLetterQueueName(queue.name));
}

export function retryDelaysOf(topology: Topology, queue: string): readonly number[] {
  const spec = topology.queues.find((candidate) => candidate.name === queue);
  if (!spec) throw new Error(`queue "${queue}" is not in the topology`);
  return spec.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
}
