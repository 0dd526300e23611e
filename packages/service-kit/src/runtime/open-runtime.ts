import { Broker, brokerPublisher, DeadLetters, OutboxRelay, type Topology } from '@delivery/messaging';
import type { Connection, Model } from 'mongoose';
import type { Logger } from 'pino';
import type { IndexMode } from '../config/mongo-indexes.js';
import { Readiness } from '../http/readiness.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { consumerMetrics } from '../metrics/consumer-metrics.js';
import { watchRuntime } from '../metrics/runtime-metrics.js';
import { connectMongo, mongoReadiness } from '../mongo/connect.js';
import type { AnyModel } from '../mongo/declared-indexes.js';
import { connectionIndexOptions, prepareIndexes } from '../mongo/index-mode.js';
import { registerBrokerReadiness } from './broker-readiness.js';

/** The variables every service's config has for its connections (MONGO_DB: the database it owns). */
export interface RuntimeConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  AMQP_URL: string;
  SERVICE_NAME: string;
  MONGO_INDEXES: IndexMode;
}

export interface RuntimeOptions {
  config: RuntimeConfig;
  /** With SERVICE_NAME, names the broker connection: `<SERVICE_NAME>-<role>-<pid>`. */
  role: string;
  topology: Topology;
  /** Every model of the service (its store's list, which `npm run migrate` also builds). */
  models: (connection: Connection) => AnyModel[];
  /** Under MONGO_INDEXES=build, before the indexes are built (see prepareIndexes). */
  beforeIndexBuild?: (connection: Connection) => Promise<void>;
  /** The models whose documents carry an outbox; each gets a relay. */
  // biome-ignore lint/suspicious/noExplicitAny: relays work on any model that embeds an outbox
  outboxModels: (connection: Connection) => Model<any, any, any, any>[];
  /** How long consumers' in-flight handlers get on shutdown. */
  consumerDrainMs?: number;
}

export interface Runtime {
  mongo: Connection;
  broker: Broker;
  relays: OutboxRelay[];
  readiness: Readiness;
  /** The service's dead-letter queues, for the operators' routes (deadLetterRoutes). */
  deadLetters: DeadLetters;
  /** One relay per outbox model, in `outboxModels` order: `relays[i].publishWritten(id, entries)` after a write. */
}

/**
 * What every service process opens: its database, the broker, an outbox relay per outbox
 * model, and readiness checks for both connections. Each is registered with the lifecycle so
 * SIGTERM closes them in reverse: consumers drain first, the relays publish what those handlers
 * wrote, then the broker and the database close.
 */
export async function openRuntime(
  options: RuntimeOptions,
  lifecycle: Lifecycle,
  logger: Logger,
): Promise<Runtime> {
  const { config } = options;
  const mongo = await connectMongo(config.MONGO_URL, {
    dbName: config.MONGO_DB,
    ...connectionIndexOptions(config.MONGO_INDEXES),
  });
  lifecycle.onClose('mongo', () => mongo.close());
  // Closed just before the database: scrapes while the process drains still see its gauges.
  let unwatch = () => {};
  lifecycle.onClose('runtime metrics', () => unwatch());
  await prepareIndexes(mongo, options.models, config.MONGO_INDEXES, {
    ...(options.beforeIndexBuild ? { beforeBuild: options.beforeIndexBuild } : {}),
  });
  const models = options.outboxModels(mongo);
  // An outbox model left off the list would run, under `require`, on indexes no migration built.
  const listed = new Set(options.models(mongo));
  const unlisted = models.filter((model) => !listed.has(model)).map((model) => model.modelName);
  if (unlisted.length > 0) throw new Error(`outbox models missing from the service's models: ${unlisted}`);

  const broker = await Broker.connect({
    url: config.AMQP_URL,
    topology: options.topology,
    logger,
    connectionName: `${config.SERVICE_NAME}-${options.role}-${process.pid}`,
    consumerMetrics,
  });
  lifecycle.onClose('broker', () => broker.close());

  // brokerPublisher bounds each publish by the relays' default publish timeout, so a relay's
  // lock never expires during one.
  const relays = models.map((model) => new OutboxRelay({ model, publish: brokerPublisher(broker), logger }));
  for (const relay of relays) relay.start();
  lifecycle.onClose('outbox relays', async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await Promise.all(
      relays.map((relay) =>
        relay.drain().catch((error) => logger.warn({ err: error }, 'outbox left for the next relay')),
      ),
    );
  });
  lifecycle.onClose('consumers', () =>
    broker.stopConsuming({ drainTimeoutMs: options.consumerDrainMs ?? 30_000 }),
  );

  const readiness = new Readiness(undefined, logger);
  readiness.register('mongo', mongoReadiness(mongo));
  registerBrokerReadiness(readiness, broker);
  const deadLetters = new DeadLetters(broker, options.topology);
  unwatch = watchRuntime({ relays, deadLetters, readiness });
  return { mongo, broker, relays, readiness, deadLetters };
}
