import type { OutboxRelay } from '@delivery/messaging';
import { type Lifecycle, type Logger, openRuntime } from '@delivery/service-kit';
import { jobModel } from './store/job-model.js';
import type { OutboxWritten } from './store/outbox-written.js';
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
  /** The stores report what they appended to a job's outbox; it is published right away. */
  const written: OutboxWritten = (id, entries) => relay.publishWritten(id, entries);
  return { ...runtime, model: jobModel(runtime.mongo), written };
}
