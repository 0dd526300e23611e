import { z } from 'zod';
import { defineEvent } from './define-message.js';
import { actorSchema } from './identity.js';
import { stageSchema } from './stages.js';

/**
 * The facts about a project that other services keep a projection of (hitl: who manages it and
 * whether every automated stage needs a review). The pipeline owns projects and announces them.
 */
export const projectFactsSchema = z.object({
  projectId: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  requireManualReview: z.boolean(),
  /** The user id of the project's delivery manager, if one is set. */
  deliveryManagerId: z.string().min(1).max(200).nullable(),
  /** Absent in events from before it was announced: those projects were active. */
  status: z.enum(['active', 'completed', 'archived']).default('active'),
});
export type ProjectFacts = z.infer<typeof projectFactsSchema>;
export type ProjectFactsInput = z.input<typeof projectFactsSchema>;

const projectEvent = (event: string) =>
  defineEvent({ service: 'pipeline', entity: 'project', event, version: 1, payload: projectFactsSchema });

/** Published with `subject` = projectId and a per-project `sequence` (the outbox relay stamps both). */
export const projectEvents = {
  created: projectEvent('created'),
  /** Any of the facts changed (a new manager, manual review, archived or restored): the whole new set. */
  updated: projectEvent('updated'),
};

export const PIPELINE_STAGE_STATUSES = [
  'pending',
  'blocked',
  'ready',
  'awaiting_approval',
  'running',
  'needs_human',
  'failed',
  'sent_back',
  'succeeded',
] as const;
export const stageStatusSchema = z.enum(PIPELINE_STAGE_STATUSES);

/**
 * What makes the pipeline look at a project again, by the old system's names where it had them
 * (onboarding_updated is a draft, onboarding_saved a submission, assignment_override a manager
 * replacing who was assigned, test_report_upload a JUnit report), then this system's own. The
 * timeline, the stage_changed event and the API carry one of these; consumers take any string, so
 * a name added later breaks none of them.
 */
export const PIPELINE_TRIGGERS = [
  'onboarding_updated',
  'onboarding_saved',
  'assignment_updated',
  'assignment_override',
  'auto_assignment',
  'artifact_upload',
  'test_report_upload',
  'manual_advance',
  'manual_resume',
  'approval_granted',
  'project_created',
  'sale_confirmed',
  'file_replaced',
  'file_withdrawn',
  'defects_decided',
  'management_changed',
  'archived',
  'unarchived',
  'blueprint_ready',
  'gate_passed',
  'approval_requested',
  'approval_sent_back',
  'approval_expired',
  'job_queued',
  'job_started',
  'job_succeeded',
  'job_failed',
  'job_needs_human',
  'job_canceled',
  'job_retry_scheduled',
  'job_refused',
] as const;
export type PipelineTrigger = (typeof PIPELINE_TRIGGERS)[number];

/** A stage of a project changed status: what the board and the timeline show. */
export const projectStageChanged = defineEvent({
  service: 'pipeline',
  entity: 'project',
  event: 'stage_changed',
  version: 1,
  payload: z.object({
    projectId: z.string(),
    stage: stageSchema,
    generation: z.number().int().min(1),
    from: stageStatusSchema,
    to: stageStatusSchema,
    /** One of PIPELINE_TRIGGERS (a string, so that a name added later is no breaking change). */
    trigger: z.string(),
    /** Who caused it, by name: the uploader, the approver who granted, who decided defects; null for the system. */
    actor: actorSchema.nullable(),
  }),
});

export const projectCompleted = defineEvent({
  service: 'pipeline',
  entity: 'project',
  event: 'completed',
  version: 1,
  payload: z.object({ projectId: z.string(), name: z.string() }),
});
