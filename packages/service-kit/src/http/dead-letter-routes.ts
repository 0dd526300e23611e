import { jsonBody, ROLES, type RouteSpec } from '@delivery/contracts';
import {
  BrokerUnavailableError,
  DeadLetterNotFoundError,
  DeadLetterQueueMissingError,
  type DeadLetters,
  PublishRejectedError,
  UnknownDeadLetterQueueError,
  UnroutableError,
} from '@delivery/messaging';
import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from './authenticate.js';
import { ConflictError, DomainError, NotFoundError } from './errors.js';

/** The broker could not be reached, or did not confirm in time: nothing was replayed or removed. */
export class BrokerUnavailableHttpError extends DomainError {
  readonly status = 503;
  readonly code = 'broker_unavailable';
}

/** The destination refused the replayed message (a nack, e.g. a full queue): it stays a dead letter. */
export class DestinationRefusedError extends DomainError {
  readonly status = 409;
  readonly code = 'destination_refused';
}

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

/** Dead letters carry other people's payloads, and a replay re-runs work: operators' business only. */
export const DEAD_LETTER_ROLES = [ROLES.admin, ROLES.operator];
const operators = requireRole(...DEAD_LETTER_ROLES);

/** The routes below, for the API document and the route lists of the services' tests. */
export const deadLetterRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/dead-letters',
    summary: "The service's dead-letter queues: per queue the count and the oldest messages, with reasons",
    description: 'A queue that cannot be read has `error` and a null count.',
    roles: DEAD_LETTER_ROLES,
    query: deadLetterListQuery,
    responses: { 200: '`{ queues: [...] }`', 503: 'the broker cannot be reached' },
  },
  {
    method: 'POST',
    path: '/dead-letters/:queue/replay',
    summary:
      'Replays one dead letter (`{"id": ...}`) or all of a queue (`{"all": true}`) to where it came from',
    description: 'Each message is removed only once its destination confirmed it.',
    roles: DEAD_LETTER_ROLES,
    body: jsonBody(deadLetterReplayBody),
    responses: {
      200: '`{ queue, replayed }`',
      404: 'not a dead-letter queue of this service, or no such message',
      409: 'the destination refused the message, or its queue is gone',
      503: 'the broker cannot be reached',
    },
  },
];

/**
 * Operators' way into the service's dead-letter queues (admin or operator role):
 *  - GET  /dead-letters?limit=100          per queue: count and the oldest messages, with reasons;
 *                                          a queue that cannot be read has `error` and count null
 *  - POST /dead-letters/:queue/replay      body {"id": "<message id>"} or {"all": true}
 */
export function deadLetterRoutes(deadLetters: DeadLetters): Router {
  const router = Router();

  router.get('/dead-letters', operators, async (req, res) => {
    const { limit } = deadLetterListQuery.parse(req.query);
    res.json({ queues: await brokerCall(() => deadLetters.list(limit)) });
  });

  router.post('/dead-letters/:queue/replay', operators, async (req, res) => {
    const queue = String(req.params.queue);
    if (!deadLetters.queues.includes(queue)) {
      throw new NotFoundError(`"${queue}" is not a dead-letter queue of this service`, {
        queues: deadLetters.queues,
      });
    }
    const body = deadLetterReplayBody.parse(req.body ?? {});
    const selection = body.id === undefined ? ({ all: true } as const) : { id: body.id };
    const replayed = await brokerCall(() => deadLetters.replay(queue, selection));
    res.json({ queue, replayed });
  });

  return router;
}

/**
 * Maps the broker's refusals to HTTP (never 500: DeadLetters fails only with these); a replay
 * that failed left the message it was at in place.
 */
async function brokerCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (
      error instanceof DeadLetterNotFoundError ||
      error instanceof UnknownDeadLetterQueueError ||
      error instanceof DeadLetterQueueMissingError
    ) {
      throw new NotFoundError(error.message);
    }
    if (error instanceof PublishRejectedError) {
      throw new DestinationRefusedError(
        `the destination refused the message (is it full?): ${error.message}`,
      );
    }
    if (error instanceof UnroutableError) {
      throw new ConflictError(`the queue this message came from is gone: ${error.message}`);
    }
    if (error instanceof BrokerUnavailableError) throw new BrokerUnavailableHttpError(error.message);
    throw error;
  }
}
