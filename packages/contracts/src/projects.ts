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
    trigger: z.string(),
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
