import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TemplateContent } from '../../api/answers';
import { ApiError, api } from '../../api/client';
import { ArtifactsEditor } from './ArtifactsEditor';
import { FieldsEditor } from './FieldsEditor';
import { Issues, issueProps, TextInput } from './form-controls';
import { inputPathsOf, paths, placeIssues } from './issue-paths';
import { StagesEditor } from './StagesEditor';
import { formOf, type TemplateForm, templateBodyOf } from './template-form';

/**
 * A template version in a form: editable for the draft (saved with PUT, the API's issues beside
 * their inputs), read-only (a disabled fieldset) for published versions. Mount it with a `key`
 * naming the version shown, so a refetch while someone types never overwrites their edits.
 */
export function TemplateEditor({
  templateId,
  source,
  editable,
  saveLabel = 'Save draft',
  onDirtyChange,
}: {
  templateId: string;
  source: { name: string; description: string; content: TemplateContent };
  editable: boolean;
  saveLabel?: string;
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const client = useQueryClient();
  const [form, setForm] = useState(() => formOf(source));
  const [dirty, setDirty] = useState(false);
  const markDirty = (value: boolean) => {
    setDirty(value);
    onDirtyChange?.(value);
  };
  const save = useMutation({
    mutationFn: () =>
      api('PUT /api/templates/:id', { params: { id: templateId }, body: templateBodyOf(form) }),
    onSuccess: async () => {
      markDirty(false);
      await client.invalidateQueries({ queryKey: ['templates'] });
    },
  });
  const update = (change: Partial<TemplateForm>) => {
    setForm((current) => ({ ...current, ...change }));
    if (!dirty) markDirty(true);
  };
  // Issues name rows by position: once rows move, old issues would sit beside the wrong row.
  const rowsChanged = () => save.reset();
  const apiError = save.error instanceof ApiError ? save.error : undefined;
  const placed = placeIssues(apiError?.issues ?? [], inputPathsOf(form));

  return (
    <form
      aria-label="Template"
      aria-busy={save.isPending}
      onSubmit={(event) => {
        event.preventDefault();
        if (editable) save.mutate();
      }}
    >
      <fieldset disabled={!editable || save.isPending}>
        <TextInput
          label="Name"
          path={paths.name}
          placed={placed}
          value={form.name}
          maxLength={200}
          onChange={(name) => update({ name })}
        />
        <label>
          Description
          <textarea
            rows={2}
            value={form.description}
            onChange={(event) => update({ description: event.target.value })}
            {...issueProps(paths.description, placed)}
          />
        </label>
        <Issues path={paths.description} placed={placed} />
        <FieldsEditor
          fields={form.fields}
          placed={placed}
          onChange={(fields) => update({ fields })}
          onRowsChanged={rowsChanged}
        />
        <ArtifactsEditor
          artifacts={form.artifacts}
          placed={placed}
          onChange={(artifacts) => update({ artifacts })}
          onRowsChanged={rowsChanged}
        />
        <StagesEditor
          stages={form.stages}
          placed={placed}
          onChange={(stages) => update({ stages })}
          onRowsChanged={rowsChanged}
        />
      </fieldset>
      {save.isError ? (
        <div role="alert" className="error">
          <p>{save.error.message}</p>
          {placed.elsewhere.length > 0 ? (
            <ul>
              {placed.elsewhere.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  {issue.path ? <code>{issue.path}</code> : null} {issue.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {editable ? (
        <p className="template-save">
          <button type="submit" disabled={save.isPending} aria-busy={save.isPending}>
            {saveLabel}
          </button>{' '}
          {dirty ? (
            <small>Unsaved changes</small>
          ) : save.isSuccess ? (
            <small role="status">Saved.</small>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}
