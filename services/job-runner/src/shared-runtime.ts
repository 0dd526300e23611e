import { Broker, brokerPublisher, OutboxRelay } from '@delivery/messaging';
import { connectMongo, type Lifecycle, type Logger, mongoReadiness, Readiness } from '@delivery/service-kit';
import { jobModel } from './store/job-model.js';
import { jobRunnerTopology } from './topology.js';

export interface RuntimeConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  AMQP_URL: string;
  SERVICE_NAME: string;
}

/**
 * What both job-runner processes open: the database, the broker and the outbox relay, each
 * registered with the lifecycle so SIGTERM closes them in reverse order: consumers drain, the
 * relay publishes what they wrote, then the broker and the database close.
 */
export async function openRuntime(config: RuntimeConfig, lifecycle: Lifecycle, logger: Logger, role: string) {
  const mongo = await connectMongo(config.MONGO_URL, { dbName: config.MONGO_DB });
  lifecycle.onClose('mongo', () => mongo.close());
  const model = jobModel(mongo);
  await model.init(); // builds the indexes, the unique idempotency key among them

  const broker = await Broker.connect({
    url: config.AMQP_URL,
    topology: jobRunnerTopology,
    logger,
    connectionName: `${config.SERVICE_NAME}-${role}-${process.pid}`,
  });
  lifecycle.onClose('broker', () => broker.close());

  const relay = new OutboxRelay({ model, publish: brokerPublisher(broker), logger });
  relay.start();
  lifecycle.onClose('outbox relay', async () => {
    await relay.stop();
    await relay.drain().catch((error) => logger.warn({ err: error }, 'outbox left for the next relay'));
  });

  // Closed first: no new messages, in-flight handlers finish and their outbox entries go out.
  lifecycle.onClose('consumers', () => broker.stopConsuming({ drainTimeoutMs: 30_000 }));

  const readiness = new Readiness();
  readiness.register('mongo', mongoReadiness(mongo));
  readiness.register('broker', async () => {
    if (!broker.isConnected()) throw new Error('broker disconnected');
  });
  return { mongo, model, broker, relay, readiness };
}
