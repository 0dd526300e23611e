import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../../api/client';
import { Issues, issueProps, TextInput } from './form-controls';
import { inputPathsOf, paths, placeIssues } from './issue-paths';
import { formOf, templateBodyOf } from './template-form';

const EMPTY_CONTENT = { fields: [], artifacts: [], stages: {} };

/** Starts a template as an empty draft and opens it, where its fields and artifacts are added. */
export function NewTemplateForm() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const form = formOf({ name, description, content: EMPTY_CONTENT });
  const create = useMutation({
    mutationFn: () => api('POST /api/templates', { body: templateBodyOf(form) }),
    onSuccess: async (created) => {
      await client.invalidateQueries({ queryKey: ['templates'] });
      navigate(`/templates/${created.id}`);
    },
  });
  const apiError = create.error instanceof ApiError ? create.error : undefined;
  const placed = placeIssues(apiError?.issues ?? [], inputPathsOf(form));

  return (
    <section aria-labelledby="new-template-title">
      <h2 id="new-template-title">New template</h2>
      <form
        aria-label="New template"
        aria-busy={create.isPending}
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <TextInput
          label="Name"
          path={paths.name}
          placed={placed}
          value={name}
          maxLength={200}
          required
          onChange={setName}
        />
        <label>
          Description
          <textarea
            rows={2}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            {...issueProps(paths.description, placed)}
          />
        </label>
        <Issues path={paths.description} placed={placed} />
        {create.isError && Object.keys(placed.at).length === 0 ? (
          <p role="alert" className="error">
            {create.error.message}
          </p>
        ) : null}
        <button type="submit" disabled={create.isPending} aria-busy={create.isPending}>
          Create template
        </button>
      </form>
    </section>
  );
}
