import { enqueueJobCommand } from '@delivery/contracts';
import { type Broker, UnprocessableMessageError } from '@delivery/messaging';
import { UnprocessableError } from '@delivery/service-kit';
import { IdempotencyKeyReusedError, type JobStore } from '../store/job-store.js';

/**
 * The `job-runner.enqueue` command: the same use case as POST /jobs. Redelivery is harmless
 * because enqueue is idempotent by key. What POST /jobs refuses with 409/422 (an unknown kind, a
 * payload its kind cannot run, a key reused for another request) can never succeed, so that
 * command goes straight to the dead-letter queue with the reason.
 */
export async function consumeEnqueueCommands(broker: Broker, store: JobStore): Promise<void> {
  await broker.consume({
    queue: enqueueJobCommand.queue,
    messages: [enqueueJobCommand],
    handle: async (command) => {
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
