import { type Identity, managesProject, mayLoosenGates } from '@delivery/contracts';
import type { FactChange } from './fact-changes.js';
import { forbidden, relationsOf } from './project-access.js';
import type { ProjectState } from './project-state.js';

/** Who runs a project and how strictly its stages are reviewed; set at creation, changed here. */
export interface ManagementChange {
  deliveryManagerId?: string;
  requireManualReview?: boolean;
}

/**
 * Admins change anything. The project's current manager may hand it over to another person and
 * may switch manual review on; switching it off loosens every automated stage's review, which is
 * an admin's call (as loosening a gate override is in hitl). Anyone else is refused.
 */
export function changeManagement(
  project: ProjectState,
  identity: Identity,
  change: ManagementChange,
): FactChange {
  if (project.status === 'archived') {
    return { refused: 'conflict', message: 'the project is archived', details: { status: project.status } };
  }
  if (!managesProject(identity, relationsOf(project))) return forbidden('manage', project);
  const loosens = change.requireManualReview === false && project.requireManualReview;
  if (loosens && !mayLoosenGates(identity)) {
    return {
      refused: 'forbidden',
      message: "only an admin may switch off a project's manual review",
      details: { field: 'requireManualReview' },
    };
  }
  return {
    ...project,
    deliveryManagerId: change.deliveryManagerId ?? project.deliveryManagerId,
    requireManualReview: change.requireManualReview ?? project.requireManualReview,
  };
}
