import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../api/client';

/** A new project from a published template; opens its page once created. */
export function NewProjectForm() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const templates = useQuery({
    queryKey: ['templates', 'published-options'],
    queryFn: () => api('GET /api/templates', { query: { limit: 100 } }),
  });
  // A template being edited (draft) may still have a published version to start from: the API
  // says so if it has none.
  const published = (templates.data?.items ?? []).filter((template) => template.status !== 'archived');

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const created = await api('POST /api/projects', {
        body: {
          name: String(form.get('name')),
          client: String(form.get('client')),
          templateId: String(form.get('templateId')),
        },
      });
      await client.invalidateQueries({ queryKey: ['projects'] });
      navigate(`/projects/${created.id}`);
    } catch (failure) {
      setError(
        failure instanceof ApiError ? failure : new ApiError(0, 'network', 'The server could not be reached'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <details>
      <summary>New project</summary>
      <form aria-label="New project" onSubmit={submit} noValidate>
        <label>
          Project name
          <input name="name" required aria-invalid={error?.fieldMessage('name') ? true : undefined} />
          {error?.fieldMessage('name') ? <small role="alert">{error.fieldMessage('name')}</small> : null}
        </label>
        <label>
          Client
          <input name="client" required aria-invalid={error?.fieldMessage('client') ? true : undefined} />
          {error?.fieldMessage('client') ? <small role="alert">{error.fieldMessage('client')}</small> : null}
        </label>
        <label>
          Template
          <select name="templateId" required defaultValue="">
            <option value="" disabled>
              {templates.isPending
                ? 'Loading templates…'
                : published.length
                  ? 'Choose a published template'
                  : 'No published template yet'}
            </option>
            {published.map((template) => (
              <option key={template.id} value={template.id}>
                {template.name}
              </option>
            ))}
          </select>
        </label>
        {error && error.issues.length === 0 ? <p role="alert">{error.message}</p> : null}
        {error?.fieldMessage('templateId') ? (
          <p role="alert">Template: {error.fieldMessage('templateId')}</p>
        ) : null}
        <button type="submit" aria-busy={busy} disabled={busy}>
          Create project
        </button>
      </form>
    </details>
  );
}
