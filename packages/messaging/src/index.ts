export * from './broker.js';
export * from './consumer.js';
export * from './dead-letters.js';
export * from './errors.js';
export * from './logger.js';
export * from './outbox.js';
export type { OutboxBackoff } from './outbox-backoff.js';
export * from './outbox-relay.js';
export * from './topology.js';
