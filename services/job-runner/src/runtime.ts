import type { OutboxRelay } from '@delivery/messaging';
import { type Lifecycle, type Logger, openRuntime } from '@delivery/service-kit';
import { jobModel } from './store/job-model.js';
import { jobRunnerTopology } from './topology.js';

export interface RuntimeConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  AMQP_URL: string;
  SERVICE_NAME: string;
}

/** The database, broker and outbox relay both job-runner processes use. */
export async function openJobRunnerRuntime(
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
      topology: jobRunnerTopology,
      outboxModels: (connection) => [jobModel(connection)],
    },
    lifecycle,
    logger,
  );
  const [relay] = runtime.relays as [OutboxRelay];
  /** Publishes the outbox entries just written to job `id`. */
  const notify = (id: string) => relay.notify(id);
  return { ...runtime, model: jobModel(runtime.mongo), notify };
}
