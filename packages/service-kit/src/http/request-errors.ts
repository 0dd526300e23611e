import { DomainError } from './errors.js';
import type { InputLimitCode, LimitViolation } from './input-limits.js';

/** A request beyond what the service accepts (input-limits.ts); names the bound and where it broke. */
export class InputLimitError extends DomainError {
  readonly status = 400;
  readonly code: InputLimitCode;

  constructor({ code, message, path, limit }: LimitViolation) {
    super(message, limit === undefined ? { path } : { path, limit });
    this.code = code;
  }
}

/** A request body in a format no route reads: every route takes JSON. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}
