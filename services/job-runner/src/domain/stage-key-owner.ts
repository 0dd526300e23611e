import { type Actor, isStageJobOwner, isStageShapedKey, STAGE_JOB_OWNER } from '@delivery/contracts';
import { ForbiddenError } from '@delivery/service-kit';

/**
 * Stage job keys drive project stages (the pipeline acts on the job that holds one), so only the
 * pipeline may enqueue under a key of their shape: anyone else taking one first would make the
 * pipeline's own enqueue a conflict and stand in for the stage's work. Refused (403) whether or
 * not such a project exists, and whatever roles the caller holds.
 */
export function checkKeyOwner(idempotencyKey: string, enqueuedBy: Actor): void {
  if (!isStageShapedKey(idempotencyKey) || isStageJobOwner(enqueuedBy)) return;
  throw new ForbiddenError(
    `idempotency key "${idempotencyKey}" has the shape of a stage job key (<project>:<stage>:<generation>); only the pipeline enqueues those`,
    { idempotencyKey, reservedFor: { kind: 'service', id: STAGE_JOB_OWNER } },
  );
}

/**
 * A job under a stage-shaped key that the pipeline did not enqueue (one taken before such keys
 * were reserved) is never handed to the pipeline as its stage's job, however alike the requests:
 * its key is taken, a conflict.
 */
export const takenFromPipeline = (idempotencyKey: string, existingOwner: Actor | undefined): boolean =>
  isStageShapedKey(idempotencyKey) && !isStageJobOwner(existingOwner);
