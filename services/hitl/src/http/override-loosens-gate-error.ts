import { DomainError } from '@delivery/service-kit';

/**
 * A project's gate override that asks less than the admin's config, by someone other than an
 * admin. `details.fields` names each `<stage>.<field>` loosened, so a form can mark them.
 */
export class OverrideLoosensGateError extends DomainError {
  readonly status = 403;
  readonly code = 'override_loosens_gate';

  constructor(fields: string[]) {
    super(`only an admin may loosen a project's gates: ${fields.join(', ')}`, { fields });
  }
}
