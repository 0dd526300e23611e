import { type EnqueueJob, type Envelope, enqueueJobCommand, PIPELINE_ACTOR } from '@delivery/contracts';
import { type Broker, UnprocessableMessageError } from '@delivery/messaging';
import { findLimitViolation, type InputLimits, UnprocessableError } from '@delivery/service-kit';
import type { EnqueueRefusals, Refusal } from '../store/enqueue-refusals.js';
import { IdempotencyKeyReusedError, type JobStore } from '../store/job-store.js';

/**
 * The `job-runner.enqueue` command: the same use case as POST /jobs. Redelivery is harmless
 * because enqueue is idempotent by key. What POST /jobs refuses with 409/422 (an unknown kind, a
 * payload its kind cannot run, a key reused for another request) can never succeed, so that
 * command goes straight to the dead-letter queue with the reason. So does a payload past the
 * bounds POST /jobs enforces (`limits`): the command must not be a way around them, since a
 * payload nested hundreds of levels deep or with `$` keys breaks the store, not just the job.
 * Its sender learns of each such refusal from `jobs.enqueue.refused.v1` (recorded before the
 * command is dead-lettered, so a stage never waits for a job that will not come); a command too
 * malformed to name its job fails the schema and is only dead-lettered.
 *
 * Who sent it: a command carries no verified identity, only the broker's credentials, which the
 * platform's own processes alone hold (people reach the job-runner through the gateway and POST
 * /jobs). The pipeline's outbox is the one sender of this command, so its jobs are recorded as
 * the pipeline's, and stage job keys are accepted here. Whoever could publish here could as well
 * publish job events straight to the pipeline: the broker is the trust boundary either way.
 */
export async function consumeEnqueueCommands(
  broker: Broker,
  store: JobStore,
  refusals: EnqueueRefusals,
  limits: InputLimits,
): Promise<void> {
  await broker.consume({
    queue: enqueueJobCommand.queue,
    messages: [enqueueJobCommand],
    handle: async (command) => {
      const refusal = await enqueueOrRefuse(command, store, limits);
      if (!refusal) return;
      await refusals.record(command, refusal);
      throw new UnprocessableMessageError(refusal.reason, { cause: refusal.cause });
    },
  });
}

async function enqueueOrRefuse(
  command: Envelope<EnqueueJob>,
  store: JobStore,
  limits: InputLimits,
): Promise<(Refusal & { cause?: Error }) | undefined> {
  const violation = findLimitViolation(command.payload, limits);
  if (violation) return { code: 'limits_exceeded', reason: violation.message };
  try {
    await store.enqueue(command.payload, command.correlationId, PIPELINE_ACTOR);
    return undefined;
  } catch (error) {
    if (error instanceof IdempotencyKeyReusedError)
      return { code: 'key_conflict', reason: error.message, cause: error };
    if (error instanceof UnprocessableError)
      return { code: 'invalid_request', reason: error.message, cause: error };
    throw error;
  }
}
