export { closeConnectionsNamed } from './broker-faults.js';
export { CuttableProxy } from './cuttable-proxy.js';
export { isDockerEngineAvailable } from './docker-engine.js';
export * from './http-helpers.js';
export * from './identity.js';
export { InfrastructureUnavailableError } from './infrastructure-error.js';
export { mongoUrlForDatabase, uniqueName } from './isolation.js';
export * from './metrics-page.js';
export { rabbitmqctl } from './rabbitmqctl.js';
export { type AmqpKind, RABBITMQ_IMAGE, type ResolvedAmqp, resolveAmqp } from './resolve-amqp.js';
export {
  MONGO_IMAGE,
  type MongoKind,
  type ResolvedMongo,
  type ResolveMongoOptions,
  resolveMongo,
} from './resolve-mongo.js';
export * from './service-env.js';
export { SseClient, type SseFrame } from './sse-client.js';
export { isPortOpen, waitForPort } from './tcp-port.js';
export * from './test-server.js';
export { createIsolatedVhost, type IsolatedVhost } from './vhost.js';
