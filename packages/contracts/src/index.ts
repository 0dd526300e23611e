export * from './define-message.js';
export * from './envelope.js';
export * from './routing-key.js';
