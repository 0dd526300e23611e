/** The assignee list a person edits, checked the way `PUT /api/projects/:id/assignment` checks it. */

export interface AssigneeRow {
  id: string;
  name: string;
}

export const MAX_ASSIGNEES = 20;
const MAX_TEXT = 200;

export interface CheckedAssignment {
  /** The body to send, when there is nothing to fix. */
  body?: { assignees: AssigneeRow[] };
  /** Problems keyed like the API's issue paths under `assignees.` (`0.id`, `1.name`), or `list`. */
  errors: Record<string, string>;
}

export function checkAssignment(rows: AssigneeRow[]): CheckedAssignment {
  const errors: Record<string, string> = {};
  if (rows.length === 0) errors.list = 'Add at least one assignee';
  if (rows.length > MAX_ASSIGNEES) errors.list = `At most ${MAX_ASSIGNEES} assignees`;
  const seen = new Set<string>();
  const assignees = rows.map((row, index) => {
    const id = row.id.trim();
    const name = row.name.trim();
    if (id === '') errors[`${index}.id`] = 'Enter an id';
    else if (id.length > MAX_TEXT) errors[`${index}.id`] = `At most ${MAX_TEXT} characters`;
    else if (seen.has(id)) errors[`${index}.id`] = 'This person is listed already';
    seen.add(id);
    if (name === '') errors[`${index}.name`] = 'Enter a name';
    else if (name.length > MAX_TEXT) errors[`${index}.name`] = `At most ${MAX_TEXT} characters`;
    return { id, name };
  });
  return Object.keys(errors).length > 0 ? { errors } : { errors, body: { assignees } };
}

/** Whether the edited list says something other than what is saved (order counts: it is shown). */
export const sameAssignees = (a: AssigneeRow[], b: AssigneeRow[]): boolean =>
  a.length === b.length && a.every((row, i) => row.id === b[i]?.id && row.name === b[i]?.name);
