import { WITHOUT_OUTBOX_FIELDS } from '@delivery/messaging';
import type { ProjectState } from '../domain/project-state.js';
import type { ProjectDocument } from './project-model.js';

/**
 * The projection for reading a project's state: without its outbox and its timeline, which only
 * grows (every trigger reads the state; reading the whole history each time cost the bench).
 */
export const PROJECT_STATE_FIELDS = { ...WITHOUT_OUTBOX_FIELDS, timeline: 0 } as const;

/** A stored project as the domain sees it (without name key, timeline and outbox). */
export function fromDocument(document: Omit<ProjectDocument, 'outbox'> & { outbox?: unknown }): ProjectState {
  const {
    _id,
    nameKey: _nameKey,
    timeline: _timeline,
    outbox: _outbox,
    ...state
  } = document as ProjectDocument;
  return { id: _id, ...state };
}

/** The fields a decision writes (`$set`): the whole state but its id. */
export function stateFields(project: ProjectState): Omit<ProjectState, 'id'> & { nameKey: string } {
  const { id: _id, ...state } = project;
  return { ...state, nameKey: project.name.toLowerCase() };
}
