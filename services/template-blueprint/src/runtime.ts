import type { OutboxRelay } from '@delivery/messaging';
import { type Lifecycle, type Logger, openRuntime, type RuntimeConfig } from '@delivery/service-kit';
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
    /** Publish the outbox entries just written to a template / a run. */
    notifyTemplate: (id: string) => templateRelay.notify(id),
    notifyRun: (id: string) => runRelay.notify(id),
  };
}
