import type { Actor } from './identity.js';
import { STAGES, type Stage } from './stages.js';

/**
 * The jobs that run a project's stages are the pipeline's: their idempotency keys are
 * `<projectId>:<stage>:<generation>`, and whoever holds one drives that stage generation. So the
 * job-runner gives such keys to the pipeline alone, and the pipeline acts only on jobs it enqueued.
 */

/** The service identity that enqueues stage jobs. */
export const STAGE_JOB_OWNER = 'pipeline';

/** A service calling as the pipeline (its token signed with the pipeline's key), never a person. */
export const isStageJobOwner = (who: Pick<Actor, 'kind' | 'id'> | undefined): boolean =>
  who?.kind === 'service' && who.id === STAGE_JOB_OWNER;

/**
 * The pipeline acting on its own: the one actor stage jobs are enqueued by (as the job-runner
 * records it), who asks for a gate when no person caused the decision, and who moves a project
 * when its blueprint becomes ready.
 */
export const PIPELINE_ACTOR: Actor = { kind: 'service', id: STAGE_JOB_OWNER, name: STAGE_JOB_OWNER };

const GENERATION = /^[1-9][0-9]*$/;

/**
 * The stage generation a key is the job of, for that project: exactly `<projectId>:<stage>:<n>`
 * with n in plain digits (no sign, exponent, spaces or leading zero), else undefined.
 */
export function parseStageJobKey(
  key: string,
  projectId: string,
): { stage: Stage; generation: number } | undefined {
  const prefix = `${projectId}:`;
  if (!key.startsWith(prefix)) return undefined;
  const [stage, generation, ...rest] = key.slice(prefix.length).split(':');
  if (rest.length > 0 || !isStage(stage) || generation === undefined || !GENERATION.test(generation))
    return undefined;
  const number = Number(generation);
  return Number.isSafeInteger(number) ? { stage, generation: number } : undefined;
}

/**
 * Keys reserved to the pipeline: any whose last but one `:`-separated part is a stage, whatever
 * the project (existing or not) and whatever follows. Wider than what `parseStageJobKey` accepts
 * on purpose, so that no reading of a key, now or later, makes another caller's key a stage's.
 */
export function isStageShapedKey(key: string): boolean {
  const parts = key.split(':');
  return parts.length >= 3 && isStage(parts[parts.length - 2]);
}

const isStage = (value: string | undefined): value is Stage => STAGES.includes(value as Stage);
