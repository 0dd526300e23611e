import type { Actor, EnqueueRefusalCode, GatePoint, PipelineTrigger, Stage } from '@delivery/contracts';

/** What makes the orchestrator look at a project again. Every one carries who or what caused it. */
export type Trigger =
  /** Something the current stage's contract reads changed, or a person asked to advance. */
  | {
      type:
        | 'project_created'
        | 'sale_confirmed'
        /** Onboarding answers saved while still incomplete: a draft (the old system's name). */
        | 'onboarding_updated'
        /** Onboarding answers saved complete: submitted. */
        | 'onboarding_saved'
        | 'assignment_updated'
        /** A manager replaced an existing assignment (audited in the timeline with before and after). */
        | 'assignment_override'
        | 'auto_assignment'
        /** An artifact uploaded (the old system's `artifact_upload`). */
        | 'artifact_upload'
        /** A JUnit test report uploaded: its own trigger, so the timeline says what came in. */
        | 'test_report_upload'
        /** An uploaded file replaced by a corrected one, or withdrawn (audited in the timeline). */
        | 'file_replaced'
        | 'file_withdrawn'
        | 'manual_advance'
        | 'blueprint_ready';
      actor: Actor;
    }
  /** Who manages the project or whether it needs manual review changed, or it was archived: no stage moves. */
  | { type: 'management_changed' | 'archived'; actor: Actor }
  /** Restored from the archive: the stage it left starts again, asking its gate again. */
  | { type: 'unarchived'; actor: Actor }
  /** Re-run a failed, sent-back or canceled stage as a new generation, or ask again after expiry. */
  | { type: 'manual_resume'; actor: Actor; input?: Record<string, unknown> }
  /** A QA lead (or the manager) confirmed or rejected defects: the waiting defect validation job goes on. */
  | { type: 'defects_decided'; actor: Actor; input: Record<string, unknown> }
  | { type: 'gate_passed'; stage: Stage; generation: number; point: GatePoint; approvalId: string | null }
  | { type: 'approval_requested'; stage: Stage; generation: number; point: GatePoint; approvalId: string }
  | {
      type: 'approval_granted';
      stage: Stage;
      generation: number;
      point: GatePoint;
      approvalId: string;
      /** Who approved, in order: the last one's approval granted it (the timeline names them). */
      approvers: Actor[];
    }
  | {
      type: 'approval_sent_back';
      stage: Stage;
      generation: number;
      point: GatePoint;
      approvalId: string;
      by: Actor;
      comment: string;
    }
  | { type: 'approval_expired'; stage: Stage; generation: number; point: GatePoint; approvalId: string }
  | JobTrigger;

/** What the job of a stage generation reports, or that it will never run (its enqueue was refused). */
export type JobTrigger =
  | ({
      stage: Stage;
      generation: number;
      jobId: string;
      attempt: number;
    } & (
      | { type: 'job_queued' }
      | { type: 'job_started' }
      | { type: 'job_succeeded'; result: unknown }
      | { type: 'job_failed'; error: string; final: boolean }
      | { type: 'job_needs_human'; reason: string }
      | { type: 'job_canceled' }
      | { type: 'job_retry_scheduled'; error: string; nextRunAt: string }
    ))
  | { type: 'job_refused'; stage: Stage; generation: number; code: EnqueueRefusalCode; reason: string };

/** Every trigger is one the contract names (the timeline and events carry these names). */
type Unnamed = Exclude<Trigger['type'], PipelineTrigger>;
export const EVERY_TRIGGER_NAMED: Unnamed extends never ? true : Unnamed = true;
