import type { OutboxRelay } from '@delivery/messaging';
import { type Lifecycle, type Logger, openRuntime } from '@delivery/service-kit';
import { runModel } from './store/run-model.js';
import { templateModel } from './store/template-model.js';
import { templateBlueprintTopology } from './topology.js';

export interface RuntimeConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  AMQP_URL: string;
  SERVICE_NAME: string;
}

/** Database, broker and the outbox relays (templates and runs both carry outboxes). */
export async function openBlueprintRuntime(
  config: RuntimeConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  role: string,
) {
  const runtime = await openRuntime(
    {
      mongoUrl: config.MONGO_URL,
      mongoDb: config.MONGO_DB,
      amqpUrl: config.AMQP_URL,
      serviceName: config.SERVICE_NAME,
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
