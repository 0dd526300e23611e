import type { ProjectFacts } from '@delivery/contracts';
import type { ProjectState } from './project-state.js';

/** What other services keep a projection of (hitl: the manager, manual review, the status). */
export const factsOf = (project: ProjectState): ProjectFacts => ({
  projectId: project.id,
  name: project.name,
  requireManualReview: project.requireManualReview,
  deliveryManagerId: project.deliveryManagerId,
  status: project.status,
});

const ANNOUNCED = ['name', 'requireManualReview', 'deliveryManagerId', 'status'] as const;

export interface FactChangeRecord {
  field: (typeof ANNOUNCED)[number];
  before: unknown;
  after: unknown;
}

/** The announced facts a write changes, each with its value before and after. */
export function changedFacts(before: ProjectState, after: ProjectState): FactChangeRecord[] {
  return ANNOUNCED.filter((field) => before[field] !== after[field]).map((field) => ({
    field,
    before: before[field],
    after: after[field],
  }));
}
