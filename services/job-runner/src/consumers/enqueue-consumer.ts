import { enqueueJobCommand } from '@delivery/contracts';
import { type Broker, UnprocessableMessageError } from '@delivery/messaging';
import type { JobStore } from '../store/job-store.js';

/**
 * The `job-runner.enqueue` command: the same use case as POST /jobs. Redelivery is harmless
 * because enqueue is idempotent by key. An unknown kind can never succeed, so that command goes
 * straight to the dead-letter queue with the reason.
 */
export async function consumeEnqueueCommands(
  broker: Broker,
  store: JobStore,
  kinds: readonly string[],
): Promise<void> {
  await broker.consume({
    queue: enqueueJobCommand.queue,
    messages: [enqueueJobCommand],
    handle: async (command) => {
      const input = command.payload;
      if (!kinds.includes(input.kind)) {
        throw new UnprocessableMessageError(`unknown job kind "${input.kind}"`);
      }
      await store.enqueue(input, command.correlationId);
    },
  });
}
