export * from './address-class.js';
export * from './egress-client.js';
export * from './egress-config.js';
export * from './egress-errors.js';
export * from './egress-from-config.js';
export * from './egress-policy.js';
export * from './url-for-message.js';
