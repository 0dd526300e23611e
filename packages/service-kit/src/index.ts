// Telemetry is its own entry (@delivery/service-kit/telemetry): it must start before this one loads express.
export * from './breaker/create-breaker.js';
export * from './breaker/http-json.js';
export * from './config/index.js';
export * from './http/correlation-id.js';
export * from './http/create-app.js';
export * from './http/cursor.js';
export * from './http/error-mapper.js';
export * from './http/errors.js';
export * from './http/readiness.js';
export * from './lifecycle/lifecycle.js';
export * from './lifecycle/repeat.js';
export * from './lifecycle/run-service.js';
export * from './logging/logger.js';
export * from './mongo/connect.js';
export * from './runtime/open-runtime.js';
