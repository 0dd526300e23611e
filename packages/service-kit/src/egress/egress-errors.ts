import { urlForMessage } from './url-for-message.js';

/** Why a request was not sent (or not followed): a decision of the egress policy, not a network fault. */
export type EgressRefusal = 'protocol' | 'credentials' | 'host' | 'address' | 'redirects';

/** Retrying cannot change the policy's answer, so callers treat this as permanent. */
export class EgressRefusedError extends Error {
  override name = 'EgressRefusedError';
  constructor(
    readonly refusal: EgressRefusal,
    message: string,
  ) {
    super(`egress refused: ${message}`);
  }
}

/** A response whose body passed the cap: reading stopped there and the request was aborted. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
  /** As messages show it (see urlForMessage). */
  readonly url: string;
  constructor(
    readonly maxBytes: number,
    url: string,
  ) {
    const shown = urlForMessage(url);
    super(`response body over ${maxBytes} bytes from ${shown}`);
    this.url = shown;
  }
}

export const isEgressError = (err: unknown): err is EgressRefusedError | ResponseTooLargeError =>
  err instanceof EgressRefusedError || err instanceof ResponseTooLargeError;

/** fetch wraps errors raised while connecting (our lookup's refusal) in a TypeError; finds ours. */
export function egressErrorIn(err: unknown): EgressRefusedError | ResponseTooLargeError | undefined {
  for (let current = err, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (isEgressError(current)) return current;
    current = current.cause;
  }
  return undefined;
}
