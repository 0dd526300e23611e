import { DomainError, HttpError, UnprocessableError } from '@delivery/service-kit';

export class UpstreamUnavailableError extends DomainError {
  readonly status = 503;
  readonly code = 'upstream_unavailable';
}

/** Another service answered, but not what its route contract says: its bug, ours to report. */
export class UpstreamContractError extends DomainError {
  readonly status = 502;
  readonly code = 'upstream_answer_off_contract';
}

/**
 * An error from another service's API, as this service's answer: its refusal (4xx) is the
 * caller's (422 with what it said); anything else (5xx, timeout, open breaker) is 503 naming it.
 */
export function upstreamError(service: string, error: unknown): DomainError {
  if (error instanceof UpstreamContractError) return error;
  if (error instanceof HttpError && error.status >= 400 && error.status < 500) {
    return new UnprocessableError(`${service} refused: HTTP ${error.status}`, {
      service,
      answer: error.body,
    });
  }
  return new UpstreamUnavailableError(`${service} is unavailable`, { service });
}
