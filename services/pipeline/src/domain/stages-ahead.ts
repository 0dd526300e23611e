import { STAGES, type Stage } from '@delivery/contracts';
import type { BlockedReason, ProjectState } from './project-state.js';
import { readiness } from './readiness.js';

/**
 * A stage the project has not reached yet, and what it will need when it does: `ready` when its
 * contract holds already and it waits only for the stages before it, else `pending` with what is
 * missing. So a manager can get everything in before the project gets there.
 */
export interface StageAhead {
  stage: Stage;
  status: 'ready' | 'pending';
  needs: BlockedReason[];
}

/**
 * What the stages before produce is no need of a stage ahead: the stage before is what it waits
 * for anyway (defect validation reads the test stage's results).
 */
const MADE_BY_EARLIER_STAGES = new Set(['test_results_missing']);

/** Every stage after the current one that has not run in this generation, in order. */
export function stagesAhead(project: ProjectState): StageAhead[] {
  if (project.status !== 'active') return [];
  const later = STAGES.slice(STAGES.indexOf(project.currentStage) + 1).filter(
    // Completing needs nothing; a stage that ran already (a rework went back before it) says so itself.
    (stage) => stage !== '6_complete' && ['pending', 'ready'].includes(project.stages[stage].status),
  );
  return later.map((stage) => {
    const needs = readiness(project, stage).filter((reason) => !MADE_BY_EARLIER_STAGES.has(reason.code));
    return { stage, status: needs.length === 0 ? 'ready' : 'pending', needs };
  });
}
