import { z } from 'zod';
import { defineRoute, json, jsonBody } from '../http/route-contract.js';
import { ROLES } from '../identity.js';

/** Dead letters carry other people's payloads, and a replay re-runs work: operators' business only. */
const DEAD_LETTER_ROLES = [ROLES.admin, ROLES.operator] as const;

export const deadLetterListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const deadLetterReplayBody = z
  .object({
    id: z.string().min(1).max(200).optional(),
    all: z.literal(true).optional(),
  })
  .strict()
  .refine((body) => (body.id === undefined) !== (body.all === undefined), {
    message: 'give either "id" (one message) or "all": true',
  });

export const deadLetterSchema = z.object({
  /** The envelope id (AMQP message id); a content hash for a message that had none. */
  id: z.string(),
  type: z.string().nullable(),
  reason: z.string(),
  originalExchange: z.string(),
  originalRoutingKey: z.string(),
  firstFailureAt: z.string().nullable(),
  lastFailureAt: z.string().nullable(),
});

export const deadLetterQueueReportSchema = z.object({
  queue: z.string(),
  /** Messages in the queue (not counting any another reader holds); null if it could not be read. */
  count: z.number().int().nullable(),
  messages: z.array(deadLetterSchema),
  error: z.enum(['queue_missing', 'broker_unavailable']).optional(),
});

/** Every service serves these for its own dead-letter queues (the gateway under /api/dead-letters/<service>). */
export const deadLetterRoutes = {
  listDeadLetters: defineRoute({
    method: 'GET',
    path: '/dead-letters',
    summary: "The service's dead-letter queues: per queue the count and the oldest messages, with reasons",
    description: 'A queue that cannot be read has `error` and a null count.',
    roles: DEAD_LETTER_ROLES,
    query: deadLetterListQuery,
    responses: {
      200: json('the queues', z.object({ queues: z.array(deadLetterQueueReportSchema) })),
      503: 'the broker cannot be reached',
    },
  }),
  replayDeadLetters: defineRoute({
    method: 'POST',
    path: '/dead-letters/:queue/replay',
    summary:
      'Replays one dead letter (`{"id": ...}`) or all of a queue (`{"all": true}`) to where it came from',
    description: 'Each message is removed only once its destination confirmed it.',
    roles: DEAD_LETTER_ROLES,
    body: jsonBody(deadLetterReplayBody),
    responses: {
      200: json('what was replayed', z.object({ queue: z.string(), replayed: z.array(z.string()) })),
      404: 'not a dead-letter queue of this service, or no such message',
      409: 'the destination refused the message, or its queue is gone',
      503: 'the broker cannot be reached',
    },
  }),
} as const;
