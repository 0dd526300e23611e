import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { CreatedApiKey } from '../../api/answers';
import { ApiError, api } from '../../api/client';
import {
  hasProblems,
  initialKeyForm,
  type NewKeyProblems,
  newKeyBody,
  newKeyProblems,
  roleChoicesOf,
  toggleRole,
} from './key-form';

/** Name and roles of a new key; the created key goes to `onCreated`, the only place it exists. */
export function NewKeyForm({
  sessionRoles,
  onCreated,
}: {
  sessionRoles: string[];
  onCreated: (created: CreatedApiKey) => void;
}) {
  const id = useId();
  const client = useQueryClient();
  const [form, setForm] = useState(() => initialKeyForm(sessionRoles));
  const [problems, setProblems] = useState<NewKeyProblems>({});
  const create = useMutation({
    mutationFn: () => api('POST /api/keys', { body: newKeyBody(form) }),
    onSuccess: async (created) => {
      onCreated(created);
      setForm(initialKeyForm(sessionRoles));
      await client.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const apiError = create.error instanceof ApiError ? create.error : undefined;
  const nameProblem = problems.name ?? apiError?.fieldMessage('name');
  const rolesProblem =
    problems.roles ??
    apiError?.issues.find((issue) => issue.path === 'roles' || issue.path.startsWith('roles.'))?.message;
  const placed = Boolean(apiError?.fieldMessage('name') || rolesProblem);

  return (
    <form
      aria-label="Create API key"
      aria-busy={create.isPending}
      onSubmit={(event) => {
        event.preventDefault();
        const found = newKeyProblems(form);
        setProblems(found);
        if (!hasProblems(found)) create.mutate();
      }}
    >
      <label>
        Name
        <input
          value={form.name}
          maxLength={200}
          placeholder="e.g. deploy script"
          aria-invalid={nameProblem ? true : undefined}
          aria-describedby={nameProblem ? `${id}-name-error` : undefined}
          onChange={(event) => setForm({ ...form, name: event.target.value })}
        />
      </label>
      {nameProblem ? (
        <small id={`${id}-name-error`} role="alert" className="error">
          {nameProblem}
        </small>
      ) : null}
      <fieldset aria-describedby={rolesProblem ? `${id}-roles-error` : undefined}>
        <legend>Roles</legend>
        {roleChoicesOf(sessionRoles).map((role) => (
          <label key={role}>
            <input
              type="checkbox"
              checked={form.roles.includes(role)}
              onChange={(event) => setForm(toggleRole(form, role, event.target.checked))}
            />
            {role}
          </label>
        ))}
        {rolesProblem ? (
          <small id={`${id}-roles-error`} role="alert" className="error">
            {rolesProblem}
          </small>
        ) : null}
      </fieldset>
      {create.isError && !placed ? (
        <p role="alert" className="error">
          {create.error.message}
          {apiError?.details?.rolesNotHeld ? ` (${String(apiError.details.rolesNotHeld)})` : ''}
        </p>
      ) : null}
      <button type="submit" disabled={create.isPending}>
        Create key
      </button>
    </form>
  );
}
