/** The broker did not confirm a publish in time (it was down or unreachable the whole while). */
export class BrokerUnavailableError extends Error {
  override name = 'BrokerUnavailableError';
}

/**
 * A publish went out but its confirm (or the socket's drain, or the end of a resource alarm
 * that blocked the connection) did not come within the publish timeout: the broker may or may
 * not have the message.
 */
export class PublishTimeoutError extends BrokerUnavailableError {
  override name = 'PublishTimeoutError';
}

/** The broker refused a publish (nack), e.g. a queue at its limit with `reject-publish`. */
export class PublishRejectedError extends Error {
  override name = 'PublishRejectedError';
}

/** No queue was bound for the routing key: with `mandatory` the broker returned the message. */
export class UnroutableError extends Error {
  override name = 'UnroutableError';
}

/**
 * Thrown by a handler for a well-formed message it can never process (e.g. it names something
 * unknown): the message goes to the dead-letter queue at once, with this reason, not retried.
 */
export class UnprocessableMessageError extends Error {
  override name = 'UnprocessableMessageError';
}
