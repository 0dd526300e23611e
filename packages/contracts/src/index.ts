export * from './blueprints.js';
export * from './define-message.js';
export * from './envelope.js';
export * from './jobs.js';
export * from './routing-key.js';
export * from './stages.js';
