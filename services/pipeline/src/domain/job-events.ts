import type { DecisionDraft } from './decision-draft.js';
import { failedFile } from './failed-files.js';
import type { StageStatus } from './project-state.js';
import {
  defectsAwaitDecision,
  fileFailed,
  JOB_CANCELED_NOTE,
  jobCanceled,
  jobFailed,
  jobRefused,
  needsHuman,
} from './stage-reasons.js';
import { askGate } from './stage-steps.js';
import type { JobTrigger } from './triggers.js';

/** Statuses in which the stage's job may still report how it ends. */
const JOB_ACTIVE: readonly StageStatus[] = ['running', 'needs_human'];
/**
 * A job may also succeed after the stage recorded it failed: an operator can retry a failed job
 * at the job-runner, and its result is this generation's output all the same.
 */
const JOB_MAY_SUCCEED: readonly StageStatus[] = ['running', 'needs_human', 'failed'];

/**
 * What the current stage generation's job reports. Events of another stage or generation are
 * stale (a re-run superseded them) and change nothing; so does an event that would start a stage
 * that is not running.
 */
export function onJobEvent(draft: DecisionDraft, trigger: JobTrigger): void {
  const stage = draft.currentStage;
  const state = draft.stage(stage);
  if (trigger.stage !== stage || trigger.generation !== state.generation) return;
  // Its job is done and the review of its output is being asked (a repeated success asks nothing).
  if (state.gatePoint !== null) return;
  if (trigger.type === 'job_refused') {
    // No job will come to end the stage: it waits for a person instead, saying why.
    if (state.status === 'running') {
      draft.updateStage(stage, {
        status: 'blocked',
        note: trigger.reason,
        blockedReasons: [jobRefused(stage, trigger.reason)],
      });
    }
    return;
  }
  const { jobId } = trigger;
  switch (trigger.type) {
    case 'job_queued':
    case 'job_started':
      if (state.status === 'running') draft.updateStage(stage, { jobId });
      return;
    case 'job_retry_scheduled':
      if (state.status === 'running') draft.updateStage(stage, { jobId, note: trigger.error });
      return;
    case 'job_failed':
      if (!trigger.final) {
        // An attempt failed and another one follows: the stage keeps running, the note says why.
        if (state.status === 'running') draft.updateStage(stage, { jobId, note: trigger.error });
      } else if (JOB_ACTIVE.includes(state.status)) {
        const failed = failedFile(draft.project, stage, trigger.error);
        draft.updateStage(stage, {
          status: 'failed',
          jobId,
          note: trigger.error,
          blockedReasons: [
            failed ? fileFailed(stage, failed.file, failed.detail) : jobFailed(stage, trigger.error),
          ],
        });
      }
      return;
    case 'job_needs_human':
      if (JOB_ACTIVE.includes(state.status)) {
        draft.updateStage(stage, {
          status: 'needs_human',
          jobId,
          note: trigger.reason,
          blockedReasons: [
            stage === '5_defect_validation'
              ? defectsAwaitDecision(trigger.reason)
              : needsHuman(trigger.reason),
          ],
        });
      }
      return;
    case 'job_canceled':
      if (JOB_ACTIVE.includes(state.status)) {
        draft.updateStage(stage, {
          status: 'failed',
          jobId,
          note: JOB_CANCELED_NOTE,
          blockedReasons: [jobCanceled(stage)],
        });
      }
      return;
    case 'job_succeeded':
      if (JOB_MAY_SUCCEED.includes(state.status)) {
        // Stored as null when the job returned nothing, so that "the stage produced its output" holds.
        draft.setOutput(stage, trigger.result ?? null);
        draft.updateStage(stage, { jobId, note: null });
        askGate(draft, stage, 'after', null);
      }
      return;
  }
}
