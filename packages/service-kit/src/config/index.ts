// Kept apart from the main entry so an entry file can read config before express and mongoose load.

export * from '../identity/identity-config.js';
export * from './base-schema.js';
export * from './lease-timing.js';
export * from './load-config.js';
export * from './mongo-indexes.js';
export * from './retention.js';
export * from './upstream-urls.js';
