import { z } from 'zod';
import { defineCommand, defineEvent } from './define-message.js';

export const BLUEPRINT_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export const blueprintRunStatusSchema = z.enum(BLUEPRINT_RUN_STATUSES);
export type BlueprintRunStatus = z.infer<typeof blueprintRunStatusSchema>;

/** Ask the template-blueprint workers to execute a run (created beforehand by its API). */
export const generateBlueprintCommand = defineCommand({
  queue: 'template-blueprint.generate',
  version: 1,
  payload: z.object({ runId: z.uuid() }),
});

const runRef = z.object({
  runId: z.string(),
  templateId: z.string(),
  templateVersion: z.number().int().min(1),
  generator: z.string(),
  attempt: z.number().int().min(0),
});

const runEvent = <S extends z.ZodRawShape>(event: string, extra: S) =>
  defineEvent({ service: 'blueprints', entity: 'run', event, version: 1, payload: runRef.extend(extra) });

export const blueprintRunEvents = {
  queued: runEvent('queued', {}),
  started: runEvent('started', {}),
  succeeded: runEvent('succeeded', { durationMs: z.number().int().min(0) }),
  failed: runEvent('failed', { errorCode: z.string(), errorMessage: z.string() }),
  /** A queued or running run stopped on request; a running worker's late result is discarded. */
  canceled: runEvent('canceled', {}),
};

export const templatePublished = defineEvent({
  service: 'blueprints',
  entity: 'template',
  event: 'published',
  version: 1,
  payload: z.object({ templateId: z.string(), version: z.number().int().min(1), name: z.string() }),
});
