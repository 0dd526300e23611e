// `@delivery/service-kit/identity`: keys, tokens and their verification, without express, so
// scripts (npm start, npm run token) and other entries can use it.
export * from './from-config.js';
export * from './hand-out-keys.js';
export * from './identity-config.js';
export * from './jwk.js';
export * from './keys.js';
export * from './service-tokens.js';
export * from './sign.js';
export * from './token-cli.js';
export * from './verifier.js';
