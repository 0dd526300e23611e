import { type FormEvent, useId, useState } from 'react';
import type { FieldSpec, ProjectDetail } from '../../api/answers';
import { api } from '../../api/client';
import { issuesUnder } from './api-errors';
import { ErrorNotice } from './ErrorNotice';
import { formatTime } from './format';
import {
  controlOf,
  draftCompleteness,
  type Edits,
  fieldError,
  pendingSave,
  shownRaw,
} from './onboarding-form';
import { completeness, ruleHint } from './onboarding-rules';
import { useProjectChange } from './project-queries';

/**
 * The onboarding questions of the project's blueprint as a form. Partial saves are fine: only the
 * fields changed are sent, and a blank field clears its answer.
 */
export function OnboardingForm({ project, editable }: { project: ProjectDetail; editable: boolean }) {
  const fields = project.requirements?.fields ?? null;
  const saved = project.onboarding.answers;
  const [edits, setEdits] = useState<Edits>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  /** Fields edited since the server's last answer: its message about them is out of date. */
  const [editedSinceSave, setEditedSinceSave] = useState<Set<string>>(new Set());
  const [nothingToSave, setNothingToSave] = useState(false);
  const save = useProjectChange(project.id, (answers: Record<string, unknown>) =>
    api('PUT /api/projects/:id/onboarding', { params: { id: project.id }, body: { answers } }),
  );
  const idPrefix = useId();

  if (fields === null) {
    return <p>No onboarding questions yet: the template's blueprint is not generated.</p>;
  }
  if (fields.length === 0) return <p>This project's template asks no onboarding questions.</p>;

  const serverIssues = issuesUnder(save.error, 'answers.');
  const now = completeness(fields, saved);
  const dirty = Object.keys(edits).length > 0;
  const draft = draftCompleteness(fields, saved, edits);
  const labelOf = (key: string) => fields.find((field) => field.key === key)?.label ?? key;

  const edit = (field: FieldSpec, raw: string) => {
    setEdits((before) => ({ ...before, [field.key]: raw }));
    setEditedSinceSave((before) => new Set(before).add(field.key));
    setNothingToSave(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const pending = pendingSave(fields, saved, edits);
    setTouched(new Set(fields.map((field) => field.key)));
    if (Object.keys(pending.errors).length > 0) return;
    if (Object.keys(pending.answers).length === 0) {
      setNothingToSave(true);
      return;
    }
    setEditedSinceSave(new Set());
    save.mutate(pending.answers, {
      onSuccess: () => {
        setEdits({});
        setTouched(new Set());
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Onboarding">
      <p data-testid="onboarding-completeness">
        {now.answered} of {now.required} required questions answered
        {now.complete ? ' — complete' : ''}
        {dirty && draft.answered !== now.answered ? ` (${draft.answered} after saving)` : ''}
        <br />
        <progress value={now.answered} max={Math.max(now.required, 1)} aria-label="Onboarding completeness" />
        {now.missing.length > 0 ? <small>Still missing: {now.missing.map(labelOf).join(', ')}</small> : null}
        {project.onboarding.updatedBy ? (
          <small>
            Last saved by {project.onboarding.updatedBy.name} on {formatTime(project.onboarding.updatedAt)}
          </small>
        ) : null}
      </p>
      <fieldset disabled={!editable || save.isPending}>
        {fields.map((field) => {
          const raw = shownRaw(field, saved, edits);
          const clientError =
            touched.has(field.key) || field.key in edits ? fieldError(field, raw) : undefined;
          const serverError = editedSinceSave.has(field.key) ? undefined : serverIssues[field.key];
          const error = clientError ?? serverError;
          const id = `${idPrefix}-${field.key}`;
          return (
            <div key={field.key} data-field={field.key}>
              <label htmlFor={id}>{field.label}</label>
              <FieldControl
                id={id}
                field={field}
                raw={raw}
                invalid={error !== undefined}
                describedBy={error ? `${id}-error ${id}-hint` : `${id}-hint`}
                onChange={(value) => edit(field, value)}
                onBlur={() => setTouched((before) => new Set(before).add(field.key))}
              />
              {error ? (
                <small id={`${id}-error`} className="field-error" role="alert">
                  {error}
                </small>
              ) : null}
              <small id={`${id}-hint`}>{ruleHint(field)}</small>
            </div>
          );
        })}
      </fieldset>
      <ErrorNotice error={save.error} shownBeside={['answers.']} />
      {nothingToSave ? <p role="status">Nothing changed: there is nothing to save.</p> : null}
      {editable ? (
        <div className="next-steps">
          <button type="submit" aria-busy={save.isPending} disabled={save.isPending}>
            Save onboarding
          </button>
          {dirty ? (
            <button
              type="button"
              className="secondary outline"
              onClick={() => {
                setEdits({});
                setTouched(new Set());
              }}
            >
              Discard onboarding changes
            </button>
          ) : null}
        </div>
      ) : (
        <p>Only an admin or a delivery manager can change the answers.</p>
      )}
    </form>
  );
}

function FieldControl(props: {
  id: string;
  field: FieldSpec;
  raw: string;
  invalid: boolean;
  describedBy: string;
  onChange: (raw: string) => void;
  onBlur: () => void;
}) {
  const { field, raw } = props;
  const control = controlOf(field, raw);
  const common = {
    id: props.id,
    name: field.key,
    'aria-invalid': props.invalid ? true : undefined,
    'aria-describedby': props.describedBy,
    'aria-required': field.required,
    onBlur: props.onBlur,
  };
  if (control.kind === 'select') {
    return (
      <select {...common} value={raw} onChange={(event) => props.onChange(event.target.value)}>
        {control.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  }
  const rules = field.validation ?? {};
  return (
    <input
      {...common}
      type={control.type}
      value={raw}
      step={control.type === 'number' ? 'any' : undefined}
      min={control.type === 'number' ? rules.min : undefined}
      max={control.type === 'number' ? rules.max : undefined}
      onChange={(event) => props.onChange(event.target.value)}
    />
  );
}
