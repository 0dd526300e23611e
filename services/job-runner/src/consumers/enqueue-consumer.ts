import { enqueueJobCommand } from '@delivery/contracts';
import { type Broker, UnprocessableMessageError } from '@delivery/messaging';
import { findLimitViolation, type InputLimits, UnprocessableError } from '@delivery/service-kit';
import { IdempotencyKeyReusedError, type JobStore } from '../store/job-store.js';

/**
 * The `job-runner.enqueue` command: the same use case as POST /jobs. Redelivery is harmless
 * because enqueue is idempotent by key. What POST /jobs refuses with 409/422 (an unknown kind, a
 * payload its kind cannot run, a key reused for another request) can never succeed, so that
 * command goes straight to the dead-letter queue with the reason. So does a payload past the
 * bounds POST /jobs enforces (`limits`): the command must not be a way around them, since a
 * payload nested hundreds of levels deep or with `$` keys breaks the store, not just the job.
 */
export async function consumeEnqueueCommands(
  broker: Broker,
  store: JobStore,
  limits: InputLimits,
): Promise<void> {
  await broker.consume({
    queue: enqueueJobCommand.queue,
    messages: [enqueueJobCommand],
    handle: async (command) => {
      const violation = findLimitViolation(command.payload, limits);
      if (violation) throw new UnprocessableMessageError(violation.message);
      try {
        await store.enqueue(command.payload, command.correlationId);
      } catch (error) {
        if (error instanceof UnprocessableError || error instanceof IdempotencyKeyReusedError) {
          throw new UnprocessableMessageError(error.message, { cause: error });
        }
        throw error;
      }
    },
  });
}
