import type { OutboxRelay, OutboxWritten } from '@delivery/messaging';
import { type Lifecycle, type Logger, openRuntime, type RuntimeConfig } from '@delivery/service-kit';
import { allModels } from './store/all-models.js';
import { runModel } from './store/run-model.js';
import { templateModel } from './store/template-model.js';
import { templateBlueprintTopology } from './topology.js';

/** Database, broker and the outbox relays (templates and runs both carry outboxes). */
export async function openBlueprintRuntime(
  config: RuntimeConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  role: string,
) {
  const runtime = await openRuntime(
    {
      config,
      role,
      topology: templateBlueprintTopology,
      models: allModels,
      outboxModels: (connection) => [templateModel(connection), runModel(connection)],
    },
    lifecycle,
    logger,
  );
  const [templateRelay, runRelay] = runtime.relays as [OutboxRelay, OutboxRelay];
  return {
    ...runtime,
    templates: templateModel(runtime.mongo),
    runs: runModel(runtime.mongo),
    /** The stores report what they appended to a template's / a run's outbox; it goes out at once. */
    templateWritten: ((id, entries) => templateRelay.publishWritten(id, entries)) satisfies OutboxWritten,
    runWritten: ((id, entries) => runRelay.publishWritten(id, entries)) satisfies OutboxWritten,
  };
}
