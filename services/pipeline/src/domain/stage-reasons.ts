import type { GatePoint, Stage } from '@delivery/contracts';
import type { BlockedReason, StageState } from './project-state.js';
import { STAGE_LABELS } from './stage-labels.js';

/** Why a stage waits on people or on its job, once its contract is met (see readiness for before). */

const gateSubject = (stage: Stage, point: GatePoint) =>
  point === 'before'
    ? `the approval to start the ${STAGE_LABELS[stage]} stage`
    : `the review of the ${STAGE_LABELS[stage]} stage's output`;

export const approvalPending = (stage: Stage, point: GatePoint): BlockedReason => ({
  code: 'approval_pending',
  message: `Waiting for ${gateSubject(stage, point)}`,
  whoCanAct: ['approver'],
  action: 'approve',
});

export const sentBack = (comment: string): BlockedReason => ({
  code: 'sent_back',
  message: comment,
  whoCanAct: ['assignee', 'delivery_manager'],
  action: 'rework',
});

export const approvalExpired = (stage: Stage, point: GatePoint): BlockedReason => ({
  code: 'approval_expired',
  message: `Nobody decided on ${gateSubject(stage, point)} before it expired; resume the stage to ask again`,
  whoCanAct: ['delivery_manager'],
  action: 'manual_resume',
});

export const jobFailed = (stage: Stage, error: string): BlockedReason => ({
  code: 'job_failed',
  message: `The ${STAGE_LABELS[stage]} job failed: ${error}. Resume the stage to run it again`,
  whoCanAct: ['operator', 'delivery_manager'],
  action: 'manual_resume',
});

export const JOB_CANCELED_NOTE = 'the job was canceled';

export const jobCanceled = (stage: Stage): BlockedReason => ({
  code: 'job_canceled',
  message: `The ${STAGE_LABELS[stage]} job was canceled. Resume the stage to run it again`,
  whoCanAct: ['operator', 'delivery_manager'],
  action: 'manual_resume',
});

/**
 * The job-runner refused the command that was to start the stage's job, so no job will run for
 * this generation. An operator can see why (the reason, and the dead-lettered command); a resume
 * runs the stage again as a new generation, with a job key nobody holds.
 */
export const jobRefused = (stage: Stage, reason: string): BlockedReason => ({
  code: 'job_refused',
  message: `The job-runner refused to queue the ${STAGE_LABELS[stage]} job: ${reason}. Resume the stage to run it again`,
  whoCanAct: ['operator', 'delivery_manager'],
  action: 'manual_resume',
});

export const isBlockedByRefusedJob = (state: StageState): boolean =>
  state.status === 'blocked' && state.blockedReasons.some((reason) => reason.code === 'job_refused');

export const needsHuman = (reason: string): BlockedReason => ({
  code: 'needs_human',
  message: reason,
  whoCanAct: ['assignee', 'delivery_manager'],
  action: 'resume_job',
});
