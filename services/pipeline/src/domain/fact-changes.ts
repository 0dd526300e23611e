import type { Actor } from '@delivery/contracts';
import { validateAnswers } from '@delivery/contracts/onboarding';
import type { Assignee, ProjectState, StoredFile } from './project-state.js';

/**
 * The facts people change on a project, as pure functions. A change a project cannot take
 * returns a refusal (the route maps it to 409/400) and nothing is written.
 */
export type Refused = {
  refused: 'conflict' | 'invalid' | 'forbidden';
  message: string;
  details?: Record<string, unknown>;
};
export type FactChange = ProjectState | Refused;

export const isRefused = (change: FactChange): change is Refused => 'refused' in change;

function closed(project: ProjectState): Refused | undefined {
  if (project.status === 'active') return undefined;
  return {
    refused: 'conflict',
    message: `the project is ${project.status}`,
    details: { status: project.status },
  };
}

export function confirmSale(project: ProjectState, by: Actor, note: string | null, now: Date): FactChange {
  const refusal = closed(project);
  if (refusal) return refusal;
  if (project.sale) {
    return {
      refused: 'conflict',
      message: 'the sale was confirmed already',
      details: { confirmedBy: project.sale.confirmedBy, confirmedAt: project.sale.confirmedAt },
    };
  }
  return { ...project, sale: { confirmedBy: by, confirmedAt: now, note } };
}

/** Saves some answers (null clears one); every answer given must be valid for its field. */
export function saveAnswers(
  project: ProjectState,
  answers: Record<string, unknown>,
  by: Actor,
  now: Date,
): FactChange {
  const refusal = closed(project);
  if (refusal) return refusal;
  if (!project.requirements) {
    return {
      refused: 'conflict',
      message: "the template's blueprint is not ready yet",
      details: { code: 'blueprint_missing' },
    };
  }
  const issues = validateAnswers(project.requirements.fields, answers);
  if (issues.length > 0)
    return { refused: 'invalid', message: 'some answers are invalid', details: { issues } };
  const merged = { ...project.onboarding.answers };
  for (const [key, value] of Object.entries(answers)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return { ...project, onboarding: { answers: merged, updatedBy: by, updatedAt: now } };
}

export function setAssignees(
  project: ProjectState,
  people: { id: string; name: string }[],
  by: Actor,
  now: Date,
): FactChange {
  const refusal = closed(project);
  if (refusal) return refusal;
  const assignees: Assignee[] = people.map((person) => ({ ...person, assignedBy: by, assignedAt: now }));
  return { ...project, assignees };
}

/**
 * Records a stored file. The quota was checked before the upload began; checked again here, on
 * the version the write is conditional on, so uploads racing for the last room cannot both win.
 */
export function addFile(
  project: ProjectState,
  file: StoredFile,
  quota: { maxFiles: number; maxBytes: number },
): FactChange {
  const refusal = closed(project);
  if (refusal) return refusal;
  const bytes = project.files.reduce((sum, stored) => sum + stored.size, 0) + file.size;
  if (project.files.length >= quota.maxFiles || bytes > quota.maxBytes) {
    return {
      refused: 'conflict',
      message: `the project's upload quota is full (${quota.maxFiles} files, ${quota.maxBytes} bytes)`,
      details: { code: 'upload_quota_exceeded', ...quota },
    };
  }
  return { ...project, files: [...project.files, file] };
}

/**
 * Archived projects stop moving; a completed one may be archived too. Its open approval and its
 * job are withdrawn by their owners on the announcement (hitl and the job-runner follow the
 * project's status).
 */
export function archive(project: ProjectState): FactChange {
  if (project.status === 'archived')
    return { refused: 'conflict', message: 'the project is archived already' };
  return { ...project, status: 'archived' };
}

/** Back to where it was: completed if it had completed, else active at the stage it left. */
export function unarchive(project: ProjectState): FactChange {
  if (project.status !== 'archived')
    return {
      refused: 'conflict',
      message: 'the project is not archived',
      details: { status: project.status },
    };
  const completed = project.stages['6_complete'].status === 'succeeded';
  return { ...project, status: completed ? 'completed' : 'active' };
}
