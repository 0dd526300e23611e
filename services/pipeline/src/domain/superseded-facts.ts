import { canonicalJson, STAGES, type Stage } from '@delivery/contracts';
import type { DecisionDraft } from './decision-draft.js';
import { isAskingGate } from './gate-question.js';
import type { ProjectState, StageState } from './project-state.js';
import { startNewGeneration } from './stage-steps.js';
import type { Trigger } from './triggers.js';

/**
 * A stage's gate covers the facts its contract read when the gate was asked: the answers
 * (onboarding), the assignees (assignment), the artifacts (build), the test reports (test). When
 * such a fact changes afterwards, what was approved is no longer what is there, so the approval
 * (and the work done on it) is superseded: the project goes back to that stage as a new
 * generation, which asks its gate again. Stages after it start over too (their inputs changed).
 */
const FACTS: { stage: Stage; what: string; of: (project: ProjectState) => unknown }[] = [
  { stage: '1_onboarding', what: 'the onboarding answers', of: (p) => p.onboarding.answers },
  { stage: '2_assignment', what: 'the assignees', of: (p) => p.assignees.map((a) => a.id).sort() },
  { stage: '3_build', what: 'the artifacts', of: (p) => filesOf(p, 'artifact') },
  { stage: '4_test', what: 'the test reports', of: (p) => filesOf(p, 'test_report') },
];

/**
 * What files say, by name and content: the same bytes uploaded again (a double click, a retried
 * request) change nothing a gate covered; other bytes under a name, or a new name, do.
 */
const filesOf = (project: ProjectState, kind: 'artifact' | 'test_report') =>
  [
    ...new Set(
      project.files.filter((file) => file.kind === kind).map((file) => `${file.name}:${file.sha256}`),
    ),
  ].sort();

/** The fact triggers; any other trigger changes no fact a gate covers. */
const FACT_TRIGGERS: readonly Trigger['type'][] = [
  'onboarding_updated',
  'onboarding_saved',
  'assignment_updated',
  'assignment_override',
  'auto_assignment',
  'artifact_upload',
  'test_report_upload',
  'file_replaced',
  'file_withdrawn',
];

/**
 * The stage's gate has been asked about these facts in this generation: it waits on an approval
 * of them, or passed and is working on, or done with, them. An approval still pending counts: its
 * approvers and the people it names as responsible were fixed when it was asked, so a fact
 * changed under it (say, by someone who then approves it) must ask again.
 */
function gateCoversFacts(state: StageState): boolean {
  // A gate question still unanswered counts too: the approval it may open names the people as asked.
  return (
    isAskingGate(state) ||
    ['awaiting_approval', 'running', 'needs_human', 'failed', 'succeeded'].includes(state.status)
  );
}

/** The earliest stage whose gate covered a fact that `before` → the draft's project changed. */
function supersededStage(
  before: ProjectState,
  after: ProjectState,
): { stage: Stage; what: string } | undefined {
  const reached = STAGES.indexOf(after.currentStage);
  return FACTS.find(
    ({ stage, of }) =>
      STAGES.indexOf(stage) <= reached &&
      gateCoversFacts(after.stages[stage]) &&
      canonicalJson(of(before)) !== canonicalJson(of(after)),
  );
}

/** Goes back to the stage whose covered facts changed; the advance that follows asks its gate again. */
export function supersedeChangedFacts(draft: DecisionDraft, trigger: Trigger, before: ProjectState): void {
  if (!FACT_TRIGGERS.includes(trigger.type)) return;
  const superseded = supersededStage(before, draft.project);
  if (!superseded) return;
  const { stage, what } = superseded;
  const { generation, status } = draft.stage(stage);
  const from = STAGES.indexOf(stage);
  for (const later of STAGES.slice(from, STAGES.indexOf(draft.currentStage) + 1)) {
    if (draft.stage(later).status !== 'pending') startNewGeneration(draft, later);
    draft.clearOutput(later);
  }
  draft.moveTo(stage);
  draft.updateStage(stage, {
    note:
      status === 'failed'
        ? `${what} changed after generation ${generation} failed: running again with them`
        : `${what} changed after generation ${generation} asked its gate, so that approval no longer holds: asking again`,
  });
}
