import { DomainError } from '@delivery/service-kit';

/**
 * The version's content changed after its blueprint was generated (a draft edited, then maybe
 * published): the old blueprint is not served. A 404, so a reader that only wants a current
 * blueprint treats it as "none yet"; the code tells a UI to offer regenerating.
 */
export class BlueprintStaleError extends DomainError {
  readonly status = 404;
  readonly code = 'blueprint_stale';
}
