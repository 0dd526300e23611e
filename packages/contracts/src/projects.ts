import { z } from 'zod';
import { defineEvent } from './define-message.js';

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
});
export type ProjectFacts = z.infer<typeof projectFactsSchema>;

const projectEvent = (event: string) =>
  defineEvent({ service: 'pipeline', entity: 'project', event, version: 1, payload: projectFactsSchema });

/** Published with `subject` = projectId and a per-project `sequence` (the outbox relay stamps both). */
export const projectEvents = {
  created: projectEvent('created'),
  /** Any of the facts changed (or the project was archived): the payload is the whole new set. */
  updated: projectEvent('updated'),
};
