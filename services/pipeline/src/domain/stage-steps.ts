import { type Actor, type GatePoint, PIPELINE_ACTOR, STAGES, type Stage } from '@delivery/contracts';
import type { DecisionDraft } from './decision-draft.js';
import { pendingStage, type StageState } from './project-state.js';
import { readiness } from './readiness.js';

const LAST_STAGE: Stage = '6_complete';

/**
 * The advance step: looks at the current stage's contract and, if it is met, asks its `before`
 * gate. A sent-back stage starts its rework as a new generation first. Stages that are running,
 * waiting on a person or done are left alone, and so is one that waits for a manual resume.
 */
export function advance(draft: DecisionDraft, actor: Actor | null): void {
  const stage = draft.currentStage;
  if (draft.stage(stage).status === 'sent_back') startNewGeneration(draft, stage);
  const state = draft.stage(stage);
  if (!mayStart(state) || waitsForResume(state)) return;
  if (stage === LAST_STAGE) {
    completeProject(draft);
    return;
  }
  const reasons = readiness(draft.project, stage);
  if (reasons.length > 0) {
    draft.updateStage(stage, { status: 'blocked', blockedReasons: reasons, gatePoint: null });
  } else {
    askGate(draft, stage, 'before', actor);
  }
}

/**
 * Asks hitl whether the stage may pass the gate point. The stage does not await an approval until
 * hitl says one was opened: meanwhile one about to start is `ready` (its contract holds) and one
 * whose work is done stays `running`, with the point asked kept in `gatePoint`.
 */
export function askGate(draft: DecisionDraft, stage: Stage, point: GatePoint, actor: Actor | null): void {
  draft.updateStage(stage, {
    status: point === 'before' ? 'ready' : 'running',
    gatePoint: point,
    approvalId: null,
    blockedReasons: [],
  });
  draft.command({
    type: 'evaluate_gate',
    stage,
    generation: draft.stage(stage).generation,
    point,
    requestedBy: actor ?? PIPELINE_ACTOR,
  });
}

/** A re-run after a failure or a send-back: everything of the old run but its number is gone. */
export function startNewGeneration(draft: DecisionDraft, stage: Stage): void {
  draft.updateStage(stage, pendingStage(draft.stage(stage).generation + 1));
}

/** The stage passed its `after` gate: it is done and the next one is looked at right away. */
export function moveOn(draft: DecisionDraft, stage: Stage): void {
  draft.updateStage(stage, {
    status: 'succeeded',
    finishedAt: draft.now,
    blockedReasons: [],
    gatePoint: null,
  });
  const next = STAGES[STAGES.indexOf(stage) + 1];
  if (next === undefined) {
    completeProject(draft);
  } else {
    draft.moveTo(next);
    advance(draft, null);
  }
}

/** Not started in this generation: waiting on its contract, or ready with no gate asked yet. */
function mayStart(state: StageState): boolean {
  return (
    state.status === 'pending' ||
    state.status === 'blocked' ||
    (state.status === 'ready' && state.gatePoint === null)
  );
}

/**
 * Blocked by something only a manual resume answers: an expired approval (an upload must not
 * re-ask a gate nobody answered) or a refused job command (the same generation's enqueue would be
 * refused again; a resume runs a new generation).
 */
function waitsForResume(state: StageState): boolean {
  return (
    state.status === 'blocked' &&
    state.blockedReasons.some((reason) => reason.code === 'approval_expired' || reason.code === 'job_refused')
  );
}

export function isBlockedByExpiredApproval(state: StageState): boolean {
  return (
    state.status === 'blocked' && state.blockedReasons.some((reason) => reason.code === 'approval_expired')
  );
}

/** The last stage has no contract, gates or job: reaching it completes the project. */
function completeProject(draft: DecisionDraft): void {
  draft.updateStage(LAST_STAGE, {
    status: 'succeeded',
    startedAt: draft.now,
    finishedAt: draft.now,
    blockedReasons: [],
  });
  draft.complete();
  draft.command({ type: 'project_completed' });
}
