import type { ApiKeyView } from '../../api/answers';

export interface NewKeyForm {
  name: string;
  roles: string[];
}

export interface NewKeyProblems {
  name?: string;
  roles?: string;
}

/** `service` belongs to service identities only; nobody holds it, but never offer it. */
export const roleChoicesOf = (sessionRoles: readonly string[]) =>
  sessionRoles.filter((role) => role !== 'service');

/** The form starts with every role the person holds (what the API gives a key without `roles`). */
export const initialKeyForm = (sessionRoles: readonly string[]): NewKeyForm => ({
  name: '',
  roles: roleChoicesOf(sessionRoles),
});

export function toggleRole(form: NewKeyForm, role: string, checked: boolean): NewKeyForm {
  const roles = checked ? [...new Set([...form.roles, role])] : form.roles.filter((held) => held !== role);
  return { ...form, roles };
}

/**
 * What to fix before asking the API. An empty role list would make a key that can do nothing,
 * which is never what someone creating one means.
 */
export function newKeyProblems(form: NewKeyForm): NewKeyProblems {
  const problems: NewKeyProblems = {};
  if (!form.name.trim()) problems.name = 'Give the key a name, e.g. what uses it';
  else if (form.name.trim().length > 200) problems.name = 'At most 200 characters';
  if (form.roles.length === 0) problems.roles = 'Choose at least one role';
  return problems;
}

export const hasProblems = (problems: NewKeyProblems) => Object.keys(problems).length > 0;

/** The body of `POST /api/keys`, roles in the order the session lists them. */
export const newKeyBody = (form: NewKeyForm) => ({ name: form.name.trim(), roles: [...form.roles] });

/** "revoked", "never used" or "last used <time>". */
export function keyUseText(key: ApiKeyView, format: (iso: string) => string): string {
  if (key.revokedAt) return `revoked ${format(key.revokedAt)}`;
  if (!key.lastUsedAt) return 'never used';
  return `last used ${format(key.lastUsedAt)}`;
}
