import { type FormEvent, useState } from 'react';
import type { ProjectDetail } from '../../api/answers';
import { api } from '../../api/client';
import { issuesUnder } from './api-errors';
import { type AssigneeRow, checkAssignment, MAX_ASSIGNEES, sameAssignees } from './assignment';
import { ErrorNotice } from './ErrorNotice';
import { useProjectChange } from './project-queries';

/** Who delivers the project: pick people by id and name and save, or let the pool's least loaded be picked. */
export function AssignmentForm({ project, editable }: { project: ProjectDetail; editable: boolean }) {
  const saved: AssigneeRow[] = project.assignees.map(({ id, name }) => ({ id, name }));
  /** Null while nobody edits: then the saved list (kept live) is shown. */
  const [rows, setRows] = useState<AssigneeRow[] | null>(null);
  const [checked, setChecked] = useState(false);
  const save = useProjectChange(project.id, (body: { assignees: AssigneeRow[] }) =>
    api('PUT /api/projects/:id/assignment', { params: { id: project.id }, body }),
  );
  const auto = useProjectChange(project.id, () =>
    api('POST /api/projects/:id/assignment/auto', { params: { id: project.id } }),
  );

  const shown = rows ?? (saved.length > 0 ? saved : [{ id: '', name: '' }]);
  const local = checked ? checkAssignment(shown).errors : {};
  const server = issuesUnder(save.error, 'assignees.');
  const dirty = rows !== null && !sameAssignees(rows, saved);
  const change = (index: number, patch: Partial<AssigneeRow>) =>
    setRows(shown.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    const { body } = checkAssignment(shown);
    if (!body) return;
    save.mutate(body, {
      onSuccess: () => {
        setRows(null);
        setChecked(false);
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Assignment">
      <p data-testid="assignees">
        {saved.length > 0
          ? `Assigned: ${saved.map((person) => `${person.name} (${person.id})`).join(', ')}`
          : 'Nobody is assigned yet.'}
      </p>
      <fieldset disabled={!editable || save.isPending || auto.isPending}>
        {shown.map((row, index) => {
          const n = index + 1;
          const idError = local[`${index}.id`] ?? server[`${index}.id`];
          const nameError = local[`${index}.name`] ?? server[`${index}.name`];
          return (
            // Rows have no identity of their own: their position is what the API's issue paths name.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <div className="assignee-row" key={index}>
              <label>
                Assignee {n} id
                <input
                  value={row.id}
                  autoComplete="off"
                  aria-invalid={idError ? true : undefined}
                  onChange={(event) => change(index, { id: event.target.value })}
                />
                {idError ? (
                  <small className="field-error" role="alert">
                    {idError}
                  </small>
                ) : null}
              </label>
              <label>
                Assignee {n} name
                <input
                  value={row.name}
                  autoComplete="off"
                  aria-invalid={nameError ? true : undefined}
                  onChange={(event) => change(index, { name: event.target.value })}
                />
                {nameError ? (
                  <small className="field-error" role="alert">
                    {nameError}
                  </small>
                ) : null}
              </label>
              <button
                type="button"
                className="secondary outline"
                aria-label={`Remove assignee ${n}`}
                onClick={() => setRows(shown.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </div>
          );
        })}
        {local.list ? (
          <p className="field-error" role="alert">
            {local.list}
          </p>
        ) : null}
      </fieldset>
      <ErrorNotice error={save.error} shownBeside={['assignees.']} />
      <ErrorNotice error={auto.error} />
      {editable ? (
        <div className="next-steps">
          <button
            type="button"
            className="secondary"
            disabled={shown.length >= MAX_ASSIGNEES}
            onClick={() => setRows([...shown, { id: '', name: '' }])}
          >
            Add assignee
          </button>
          <button type="submit" aria-busy={save.isPending} disabled={save.isPending || auto.isPending}>
            Save assignment
          </button>
          <button
            type="button"
            className="contrast"
            aria-busy={auto.isPending}
            disabled={save.isPending || auto.isPending}
            onClick={() => auto.mutate(undefined, { onSuccess: () => setRows(null) })}
          >
            Auto-assign
          </button>
          {dirty ? (
            <button type="button" className="secondary outline" onClick={() => setRows(null)}>
              Discard assignment changes
            </button>
          ) : null}
        </div>
      ) : (
        <p>Only an admin or a delivery manager can change who is assigned.</p>
      )}
    </form>
  );
}
