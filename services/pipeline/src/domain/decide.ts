import { type Actor, STAGE_JOB_KINDS, STAGES, type Stage } from '@delivery/contracts';
import { type Decision, DecisionDraft } from './decision-draft.js';
import { isAskingGate, isGateQuestionOverdue } from './gate-question.js';
import { onJobEvent } from './job-events.js';
import { type ProjectState, pendingStage, type StageState } from './project-state.js';
import { approvalExpired, approvalPending, isBlockedByRefusedJob, sentBack } from './stage-reasons.js';
import { advance, askGate, isBlockedByExpiredApproval, moveOn, startNewGeneration } from './stage-steps.js';
import { supersedeChangedFacts } from './superseded-facts.js';
import type { Trigger } from './triggers.js';

export type { Decision, Intent } from './decision-draft.js';

/** One job per stage generation: the job-runner hands back the existing job for a repeated key. */
export const jobIdempotencyKey = (projectId: string, stage: Stage, generation: number): string =>
  `${projectId}:${stage}:${generation}`;

export function initialStages(): Record<Stage, StageState> {
  return Object.fromEntries(
    STAGES.map((stage) => [stage, { ...pendingStage(1), updatedAt: null }]),
  ) as Record<Stage, StageState>;
}

/**
 * The stage machine: what a trigger does to a project. Pure; the returned project is a new value
 * (or the same one when nothing changes), and the intents say what the shell must publish or ask.
 */
export function decide(
  project: ProjectState,
  trigger: Trigger,
  now: Date,
  /** The project before the trigger's fact change (the same project when there was none). */
  before: ProjectState = project,
): Decision {
  const draft = new DecisionDraft(project, trigger, now);
  if (project.status === 'active') apply(draft, trigger, before);
  return draft.finish();
}

function apply(draft: DecisionDraft, trigger: Trigger, before: ProjectState): void {
  supersedeChangedFacts(draft, trigger, before);
  switch (trigger.type) {
    case 'project_created':
    case 'sale_confirmed':
    case 'onboarding_updated':
    case 'onboarding_saved':
    case 'assignment_updated':
    case 'assignment_override':
    case 'auto_assignment':
    case 'artifact_upload':
    case 'test_report_upload':
    case 'file_replaced':
    case 'file_withdrawn':
    case 'manual_advance':
    case 'blueprint_ready':
      advance(draft, trigger.actor);
      return;
    case 'manual_resume':
      manualResume(draft, trigger);
      return;
    case 'defects_decided':
      resumeWaitingJob(draft, trigger.input);
      return;
    case 'management_changed':
    case 'archived':
      // The facts changed with the trigger (the shell announces them); no stage reads them.
      return;
    case 'unarchived':
      restore(draft, trigger.actor);
      return;
    case 'gate_passed':
    case 'approval_granted':
      gatePassed(draft, trigger);
      return;
    case 'approval_requested':
      if (isAwaitingGate(draft, trigger)) {
        // Only now, with an approval to decide, does the stage await one.
        draft.updateStage(trigger.stage, {
          status: 'awaiting_approval',
          approvalId: trigger.approvalId,
          blockedReasons: [approvalPending(trigger.stage, trigger.point)],
        });
      }
      return;
    case 'approval_sent_back':
      if (isAwaitingGate(draft, trigger)) {
        draft.updateStage(trigger.stage, {
          status: 'sent_back',
          approvalId: trigger.approvalId,
          gatePoint: null,
          note: trigger.comment,
          blockedReasons: [sentBack(trigger.comment)],
        });
      }
      return;
    case 'approval_expired':
      if (isAwaitingGate(draft, trigger) && draft.stage(trigger.stage).approvalId === trigger.approvalId) {
        draft.updateStage(trigger.stage, {
          status: 'blocked',
          blockedReasons: [approvalExpired(trigger.stage, trigger.point)],
        });
      }
      return;
    default:
      onJobEvent(draft, trigger);
  }
}

type GateTrigger = Extract<Trigger, { type: 'gate_passed' | 'approval_granted' }>;

function gatePassed(draft: DecisionDraft, trigger: GateTrigger): void {
  if (!isAwaitingGate(draft, trigger)) return;
  const { stage, generation, point } = trigger;
  const kind = STAGE_JOB_KINDS[stage];
  if (point === 'after') {
    moveOn(draft, stage);
  } else if (kind === undefined) {
    // No automated work: the stage's work is done the moment it may start.
    draft.updateStage(stage, { status: 'running', startedAt: draft.now });
    askGate(draft, stage, 'after', null);
  } else {
    startJob(draft, stage, generation, kind);
  }
}

function startJob(
  draft: DecisionDraft,
  stage: Stage,
  generation: number,
  kind: 'build' | 'test' | 'defect_validation',
): void {
  draft.updateStage(stage, { status: 'running', startedAt: draft.now, gatePoint: null, blockedReasons: [] });
  draft.command({
    type: 'enqueue_job',
    stage,
    generation,
    kind,
    idempotencyKey: jobIdempotencyKey(draft.project.id, stage, generation),
  });
}

function manualResume(draft: DecisionDraft, trigger: Extract<Trigger, { type: 'manual_resume' }>): void {
  const stage = draft.currentStage;
  const state = draft.stage(stage);
  if (isBlockedByExpiredApproval(state) && state.gatePoint !== null) {
    // Same generation: hitl links the fresh approval to the expired one.
    askGate(draft, stage, state.gatePoint, trigger.actor);
  } else if (isGateQuestionOverdue(state, draft.now) && state.gatePoint !== null) {
    // The gate question went unanswered (hitl down, the command dead-lettered): ask it again.
    // hitl answers one question per stage generation and point, so a late first answer is harmless.
    // An after review is still the pipeline's question: whoever resumes did not do the work.
    const point = state.gatePoint;
    askGate(draft, stage, point, point === 'before' ? trigger.actor : null);
    draft.updateStage(stage, { note: `${trigger.actor.name} asked again whether an approval is needed` });
  } else if (state.status === 'needs_human' && state.jobId !== null) {
    resumeWaitingJob(draft, trigger.input ?? {});
  } else {
    // A refused job's key may be held by another job: the re-run needs a key of its own.
    if (state.status === 'failed' || isBlockedByRefusedJob(state)) startNewGeneration(draft, stage);
    advance(draft, trigger.actor);
  }
}

/** The current stage's job waits for a person: it goes on with their input. */
function resumeWaitingJob(draft: DecisionDraft, input: Record<string, unknown>): void {
  const stage = draft.currentStage;
  const { status, jobId } = draft.stage(stage);
  if (status !== 'needs_human' || jobId === null) return;
  draft.updateStage(stage, { status: 'running', note: null, blockedReasons: [] });
  draft.command({ type: 'resume_job', stage, jobId, input });
}

/**
 * The archive withdrew the stage's approval and canceled its job, so the stage the project left
 * starts again as a new generation (unless nothing of it had begun) and asks its gate again.
 */
function restore(draft: DecisionDraft, actor: Actor): void {
  const stage = draft.currentStage;
  const { status, generation } = draft.stage(stage);
  if (status !== 'pending' && status !== 'blocked') {
    startNewGeneration(draft, stage);
    draft.updateStage(stage, {
      note: `restored from the archive: generation ${generation} was withdrawn, asking again`,
    });
  }
  advance(draft, actor);
}

/** The trigger answers the gate the current stage generation is waiting on. */
function isAwaitingGate(
  draft: DecisionDraft,
  trigger: { stage: Stage; generation: number; point: 'before' | 'after' },
): boolean {
  const state = draft.stage(draft.currentStage);
  return (
    trigger.stage === draft.currentStage &&
    trigger.generation === state.generation &&
    (state.status === 'awaiting_approval' || isAskingGate(state)) &&
    state.gatePoint === trigger.point
  );
}
