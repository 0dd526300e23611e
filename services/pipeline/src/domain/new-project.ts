import { initialStages } from './decide.js';
import type { ProjectState, Requirements } from './project-state.js';

export interface NewProject {
  id: string;
  name: string;
  client: string;
  templateId: string;
  templateVersion: number;
  deliveryManagerId: string | null;
  requireManualReview: boolean;
  /** Null while the template has no blueprint: the project then waits at onboarding. */
  requirements: Requirements | null;
}

/** A project as it starts: at sales, every stage pending in its first generation, nothing known yet. */
export function newProjectState(input: NewProject, now: Date): ProjectState {
  return {
    ...input,
    status: 'active',
    currentStage: '0_sales',
    sale: null,
    onboarding: { answers: {}, updatedBy: null, updatedAt: null },
    assignees: [],
    files: [],
    outputs: {},
    stages: initialStages(),
    version: 0,
    seen: {},
    createdAt: now,
    updatedAt: now,
  };
}
