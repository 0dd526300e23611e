import { DEFECT_DECIDERS, FILE_KEEPERS, type GatePoint, type Stage } from '@delivery/contracts';
import type { BlockedReason, StageState, StoredFile } from './project-state.js';
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

const FILE_KINDS: Record<StoredFile['kind'], string> = { artifact: 'artifact', test_report: 'test report' };

/**
 * The job failed on an uploaded file: running it again as it is would fail the same way, so the
 * way on is a corrected file (a replacement re-runs the stage as a new generation by itself).
 */
export const fileFailed = (stage: Stage, file: StoredFile, detail: string): BlockedReason => ({
  code: 'file_failed',
  message:
    `The ${STAGE_LABELS[stage]} job could not use the ${FILE_KINDS[file.kind]} "${file.name}" ` +
    `(uploaded by ${file.uploadedBy.name}): ${detail.replace(/\.$/, '')}. Replace it with a corrected file, or withdraw it; ` +
    'the stage then runs again with the files current at its start',
  whoCanAct: [...FILE_KEEPERS],
  action: 'replace_file',
  file: { id: file.id, kind: file.kind, name: file.name, uploadedBy: file.uploadedBy },
});

/** Defect validation waits for a decision per defect: a QA lead's call (the one rule in project-access). */
export const defectsAwaitDecision = (reason: string): BlockedReason => ({
  code: 'defects_undecided',
  message: `${reason}: confirm or reject each defect`,
  whoCanAct: [...DEFECT_DECIDERS],
  action: 'decide_defects',
});
