import { z } from 'zod';
import { createEnvelope, type Envelope, type EnvelopeMeta, envelopeSchema } from './envelope.js';
import { routingKey } from './routing-key.js';

/** The topic exchange every service publishes its events to and binds its queues from. */
export const EVENTS_EXCHANGE = 'delivery.events';

/**
 * One definition of a message gives its schema, its TypeScript type and where it goes,
 * so publisher and consumer can never disagree about any of the three.
 */
export interface MessageDefinition<S extends z.ZodType> {
  /** `event` goes to the topic exchange (EVENTS_EXCHANGE); `command` goes straight to its owner's queue. */
  kind: 'event' | 'command';
  /** The envelope `type`: the routing key for events, the target queue for commands. */
  type: string;
  version: number;
  payload: S;
  /** Envelope schema whose payload is this message's payload schema. */
  schema: z.ZodType<Envelope<z.output<S>>>;
  create(payload: z.input<S>, meta?: EnvelopeMeta): Envelope<z.output<S>>;
  parse(raw: unknown): Envelope<z.output<S>>;
}

function define<S extends z.ZodType>(kind: 'event' | 'command', type: string, version: number, payload: S) {
  const schema = envelopeSchema.extend({
    type: z.literal(type),
    version: z.literal(version),
    payload,
  }) as unknown as z.ZodType<Envelope<z.output<S>>>;
  const definition: MessageDefinition<S> = {
    kind,
    type,
    version,
    payload,
    schema,
    create: (body, meta) => createEnvelope(type, version, payload.parse(body) as z.output<S>, meta),
    parse: (raw) => schema.parse(raw),
  };
  return definition;
}

export interface EventSpec<S extends z.ZodType> {
  service: string;
  entity: string;
  event: string;
  version: number;
  payload: S;
}

export type EventDefinition<S extends z.ZodType> = MessageDefinition<S> & { routingKey: string };

export function defineEvent<S extends z.ZodType>(spec: EventSpec<S>): EventDefinition<S> {
  const key = routingKey(spec);
  return { ...define('event', key, spec.version, spec.payload), routingKey: key };
}

export interface CommandSpec<S extends z.ZodType> {
  /** The owning service's queue, e.g. `job-runner.enqueue`. */
  queue: string;
  version: number;
  payload: S;
}

export type CommandDefinition<S extends z.ZodType> = MessageDefinition<S> & { queue: string };

export function defineCommand<S extends z.ZodType>(spec: CommandSpec<S>): CommandDefinition<S> {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9_-]*)+$/.test(spec.queue)) {
    throw new Error(`command queue "${spec.queue}" must look like <service>.<command>`);
  }
  return { ...define('command', spec.queue, spec.version, spec.payload), queue: spec.queue };
}
