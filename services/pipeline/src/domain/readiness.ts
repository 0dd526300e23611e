import type { Stage } from '@delivery/contracts';
import { completeness, validateAnswers } from '@delivery/contracts/onboarding';
import type { BlockedReason, FieldSpec, ProjectState } from './project-state.js';

/**
 * Each stage's contract: what must be true before it may start. An empty list means it may; else
 * one reason per thing missing, each saying who can provide it and how.
 */
export function readiness(project: ProjectState, stage: Stage): BlockedReason[] {
  switch (stage) {
    case '0_sales':
      return project.sale !== null ? [] : [saleNotConfirmed];
    case '1_onboarding':
      if (project.requirements === null) return [blueprintMissing];
      return onboardingReasons(project.requirements.fields, project.onboarding.answers);
    case '2_assignment':
      return project.assignees.length > 0 ? [] : [noAssignee];
    case '3_build':
      if (project.requirements === null) return [blueprintMissing];
      return project.requirements.artifacts
        .filter((artifact) => artifact.required)
        .filter(
          (artifact) =>
            !project.files.some((file) => file.kind === 'artifact' && file.name === artifact.name),
        )
        .map((artifact) => artifactMissing(artifact.name));
    case '4_test':
      return project.files.some((file) => file.kind === 'test_report') ? [] : [testReportMissing];
    case '5_defect_validation':
      return project.outputs['4_test'] !== undefined ? [] : [testResultsMissing];
    case '6_complete':
      return [];
  }
}

const saleNotConfirmed: BlockedReason = {
  code: 'sale_not_confirmed',
  message: 'Confirm the sale to start the project',
  whoCanAct: ['sales', 'delivery_manager'],
  action: 'confirm_sale',
};

const blueprintMissing: BlockedReason = {
  code: 'blueprint_missing',
  message: "The template's blueprint is not generated yet; the project goes on by itself once it is",
  whoCanAct: ['admin', 'system'],
  action: 'generate_blueprint',
};

const noAssignee: BlockedReason = {
  code: 'no_assignee',
  message: 'Assign someone to deliver the project',
  whoCanAct: ['delivery_manager'],
  action: 'assign',
};

const testReportMissing: BlockedReason = {
  code: 'test_report_missing',
  message: 'Upload a test report (JUnit XML)',
  whoCanAct: ['assignee'],
  action: 'upload_test_report',
};

const testResultsMissing: BlockedReason = {
  code: 'test_results_missing',
  message: "Waiting for the test stage's results",
  whoCanAct: ['system'],
  action: 'wait',
};

const artifactMissing = (name: string): BlockedReason => ({
  code: 'artifact_missing',
  message: `Upload the required artifact "${name}"`,
  whoCanAct: ['assignee'],
  action: 'upload_artifact',
});

function onboardingReasons(fields: FieldSpec[], answers: Record<string, unknown>): BlockedReason[] {
  const { complete, missing } = completeness(fields, answers);
  if (complete) return [];
  const issues = validateAnswers(fields, answers);
  const invalidKeys = new Set(issues.map((issue) => issue.path.slice('answers.'.length)));
  const unanswered = missing.filter((key) => !invalidKeys.has(key));
  const labels = new Map(fields.map((field) => [field.key, field.label]));
  const name = (key: string) => (labels.has(key) ? `"${labels.get(key)}" (${key})` : key);
  const parts: string[] = [];
  if (unanswered.length > 0)
    parts.push(`Answer the required onboarding questions: ${unanswered.map(name).join(', ')}`);
  if (issues.length > 0) {
    const corrections = issues.map(
      (issue) => `${name(issue.path.slice('answers.'.length))} ${issue.message}`,
    );
    parts.push(`Correct the onboarding answers that are not valid: ${corrections.join('; ')}`);
  }
  return [
    {
      code: 'onboarding_incomplete',
      message: parts.join('. '),
      whoCanAct: ['delivery_manager'],
      action: 'save_onboarding',
    },
  ];
}
