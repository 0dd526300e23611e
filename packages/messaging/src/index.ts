export * from './broker.js';
export * from './consumer.js';
export * from './errors.js';
export * from './logger.js';
export * from './outbox.js';
export * from './topology.js';
