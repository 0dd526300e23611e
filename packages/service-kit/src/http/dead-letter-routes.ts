import { deadLetterRoutes as routes } from '@delivery/contracts/routes';
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
import { ConflictError, DomainError, NotFoundError } from './errors.js';
import { serveRoute } from './serve-route.js';

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

/**
 * Operators' way into the service's dead-letter queues (admin or operator role):
 *  - GET  /dead-letters?limit=100          per queue: count and the oldest messages, with reasons;
 *                                          a queue that cannot be read has `error` and count null
 *  - POST /dead-letters/:queue/replay      body {"id": "<message id>"} or {"all": true}
 */
export function deadLetterRoutes(deadLetters: DeadLetters): Router {
  const router = Router();

  serveRoute(router, routes.listDeadLetters, async ({ query }) => ({
    body: { queues: await brokerCall(() => deadLetters.list(query.limit)) },
  }));

  serveRoute(router, routes.replayDeadLetters, async ({ params, body }) => {
    const queue = String(params.queue);
    if (!deadLetters.queues.includes(queue)) {
      throw new NotFoundError(`"${queue}" is not a dead-letter queue of this service`, {
        queues: deadLetters.queues,
      });
    }
    const selection = body.id === undefined ? ({ all: true } as const) : { id: body.id };
    const replayed = await brokerCall(() => deadLetters.replay(queue, selection));
    return { body: { queue, replayed } };
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

// TODO(issue 18): gone once the services' catalogs are contracts.
/** @deprecated the contracts' deadLetterRoutes. */
export const deadLetterRouteSpecs = Object.values(routes);
export { deadLetterListQuery, deadLetterReplayBody } from '@delivery/contracts/routes';
