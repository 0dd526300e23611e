import type { GatePoint, Stage } from '@delivery/contracts';
import type { BlockedReason, StageState } from './project-state.js';
import { STAGE_LABELS } from './stage-labels.js';

/**
 * The pipeline asked hitl whether the stage may pass a gate point and has no answer yet: no
 * approval exists (the stage is `ready` to start, or `running` with its work done), so it does not
 * show `awaiting_approval`. hitl answers within moments when it is up.
 */
export function isAskingGate(state: StageState): boolean {
  return state.gatePoint !== null && (state.status === 'ready' || state.status === 'running');
}

/** How long a gate question may go unanswered before the stage says so (hitl answers in moments). */
export const GATE_QUESTION_PATIENCE_MS = 60_000;

/**
 * Why the stage does not go on when its gate question has gone unanswered for longer than the
 * patience: hitl is down, or the command was dead-lettered. Empty while the answer may still come.
 */
export function unansweredGateReasons(
  stage: Stage,
  state: StageState,
  now: Date,
  patienceMs = GATE_QUESTION_PATIENCE_MS,
): BlockedReason[] {
  if (!isGateQuestionOverdue(state, now, patienceMs) || state.gatePoint === null) return [];
  return [gateUnanswered(stage, state.gatePoint, state.updatedAt)];
}

/**
 * The gate question is out and its answer is overdue (a question of unknown age counts): only
 * then does a resume ask again, so a double click or a hurried resume asks nothing twice.
 */
export function isGateQuestionOverdue(
  state: StageState,
  now: Date,
  patienceMs = GATE_QUESTION_PATIENCE_MS,
): boolean {
  if (!isAskingGate(state)) return false;
  return state.updatedAt === null || now.getTime() - state.updatedAt.getTime() >= patienceMs;
}

const gateUnanswered = (stage: Stage, point: GatePoint, since: Date | null): BlockedReason => ({
  code: 'gate_unanswered',
  message:
    `${since ? `Asked at ${since.toISOString()}` : 'Asked'} whether the ${STAGE_LABELS[stage]} stage needs ` +
    `${point === 'before' ? 'an approval to start' : 'a review of its output'}, and hitl has not answered: ` +
    'it may be down, or the question was dead-lettered (Operations lists it to replay). ' +
    'Resume the stage to ask again',
  whoCanAct: ['operator', 'delivery_manager'],
  action: 'manual_resume',
});
