import type { Refused } from './fact-changes.js';
import type { ProjectState } from './project-state.js';
import { STAGE_LABELS } from './stage-labels.js';

/**
 * Where defect decisions go: the defect validation job waiting for them. Decisions are taken
 * only while it waits (before, there are no defects to decide; after, they were all decided),
 * and only on defects the test stage found, so a mistyped fingerprint is refused by its path
 * instead of being kept where no defect will ever read it.
 */
export function defectDecisionTarget(
  project: ProjectState,
  decisions: Record<string, string>,
): { jobId: string } | Refused {
  const stage = project.stages['5_defect_validation'];
  if (project.status !== 'active' || project.currentStage !== '5_defect_validation') {
    const where =
      project.status !== 'active'
        ? `the project is ${project.status}`
        : `the project is at the ${STAGE_LABELS[project.currentStage]} stage`;
    return {
      refused: 'conflict',
      message: `${where}: no defects wait for a decision`,
      details: { currentStage: project.currentStage, status: project.status },
    };
  }
  if (stage.status !== 'needs_human' || stage.jobId === null) {
    return {
      refused: 'conflict',
      message: `the defect validation stage is ${stage.status.replaceAll('_', ' ')}, not waiting for decisions`,
      details: { stageStatus: stage.status },
    };
  }
  const known = new Set(defectFingerprints(project));
  const unknown = Object.keys(decisions).filter((fingerprint) => !known.has(fingerprint));
  if (unknown.length > 0) {
    return {
      refused: 'invalid',
      message: 'some decisions name no defect of the project',
      details: {
        issues: unknown.map((fingerprint) => ({
          path: `decisions.${fingerprint}`,
          message: 'the test stage found no defect with this fingerprint',
        })),
      },
    };
  }
  return { jobId: stage.jobId };
}

/** The fingerprints of the defects the test stage found (the job dedupes them by fingerprint). */
function defectFingerprints(project: ProjectState): string[] {
  const output = project.outputs['4_test'] as { defects?: { fingerprint?: unknown }[] } | null | undefined;
  return (output?.defects ?? [])
    .map((defect) => defect.fingerprint)
    .filter((fingerprint): fingerprint is string => typeof fingerprint === 'string');
}
