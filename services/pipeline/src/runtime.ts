import type { OutboxRelay, OutboxWritten } from '@delivery/messaging';
import { type Lifecycle, type Logger, openRuntime, type RuntimeConfig } from '@delivery/service-kit';
import { allModels } from './store/all-models.js';
import { projectModel } from './store/project-model.js';
import { pipelineTopology } from './topology.js';

/** Database, broker, and the relay of the projects' outbox. */
export async function openPipelineRuntime(config: RuntimeConfig, lifecycle: Lifecycle, logger: Logger) {
  const runtime = await openRuntime(
    {
      config,
      role: 'api',
      topology: pipelineTopology,
      models: allModels,
      outboxModels: (connection) => [projectModel(connection)],
    },
    lifecycle,
    logger,
  );
  const [relay] = runtime.relays as [OutboxRelay];
  return {
    ...runtime,
    projects: projectModel(runtime.mongo),
    /** The stores report what they appended to a project's outbox; it goes out at once. */
    written: ((id, entries) => relay.publishWritten(id, entries)) satisfies OutboxWritten,
  };
}
