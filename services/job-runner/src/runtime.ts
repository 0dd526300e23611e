import type { OutboxRelay, OutboxWritten } from '@delivery/messaging';
import { type Lifecycle, type Logger, openRuntime, type RuntimeConfig } from '@delivery/service-kit';
import { allModels } from './store/all-models.js';
import { enqueueRefusalModel } from './store/enqueue-refusals.js';
import { jobModel } from './store/job-model.js';
import { jobRunnerTopology } from './topology.js';

/** The database, broker and outbox relay both job-runner processes use. */
export async function openJobRunnerRuntime(
  config: RuntimeConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  role: string,
  options: { consumerDrainMs?: number } = {},
) {
  const runtime = await openRuntime(
    {
      config,
      role,
      topology: jobRunnerTopology,
      models: allModels,
      outboxModels: (connection) => [jobModel(connection), enqueueRefusalModel(connection)],
      ...options,
    },
    lifecycle,
    logger,
  );
  const [relay, refusalRelay] = runtime.relays as [OutboxRelay, OutboxRelay];
  /** The stores report what they appended to a job's outbox; it is published right away. */
  const written: OutboxWritten = (id, entries) => relay.publishWritten(id, entries);
  const refusalWritten: OutboxWritten = (id, entries) => refusalRelay.publishWritten(id, entries);
  return {
    ...runtime,
    model: jobModel(runtime.mongo),
    written,
    refusals: enqueueRefusalModel(runtime.mongo),
    refusalWritten,
  };
}
