import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import { watchBreaker } from '../metrics/breaker-metrics.js';
import { HttpError, type HttpJsonInit, httpJson } from './http-json.js';

export interface BreakerOptions {
  name: string;
  timeoutMs: number;
  /** Failure share (percent) over the rolling window that opens the breaker. */
  errorThresholdPercentage?: number;
  /** How long it stays open before letting one trial call through. */
  resetTimeoutMs?: number;
  /** Calls in the window before the percentage is trusted. */
  volumeThreshold?: number;
  rollingCountTimeoutMs?: number;
  /** Errors that are the caller's fault and must not open the breaker. Default: HTTP 4xx. */
  isCallerError?: (err: unknown) => boolean;
  logger?: Logger;
}

export const isClientHttpError = (err: unknown): boolean =>
  err instanceof HttpError && err.status >= 400 && err.status < 500;

export function createBreaker<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  options: BreakerOptions,
): CircuitBreaker<A, R> {
  const breaker = new CircuitBreaker<A, R>(fn, {
    name: options.name,
    timeout: options.timeoutMs,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    resetTimeout: options.resetTimeoutMs ?? 10_000,
    volumeThreshold: options.volumeThreshold ?? 5,
    rollingCountTimeout: options.rollingCountTimeoutMs ?? 10_000,
    errorFilter: options.isCallerError ?? isClientHttpError,
  });
  const log = options.logger?.child({ breaker: options.name });
  if (log) {
    breaker.on('open', () => log.warn('breaker opened'));
    breaker.on('halfOpen', () => log.info('breaker half-open'));
    breaker.on('close', () => log.info('breaker closed'));
  }
  watchBreaker(breaker);
  return breaker;
}

export type JsonClient = <T = unknown>(url: string, init?: HttpJsonInit) => Promise<T>;

/**
 * httpJson behind a breaker: 5xx, network errors and timeouts count as
 * failures; 4xx reach the caller as HttpError without opening it. The fetch
 * itself is aborted at the same timeout so nothing lingers.
 */
export function createJsonClient(options: BreakerOptions): {
  request: JsonClient;
  breaker: CircuitBreaker<[url: string, init?: HttpJsonInit], unknown>;
} {
  const breaker = createBreaker(
    (url: string, init?: HttpJsonInit) => httpJson(url, { timeoutMs: options.timeoutMs, ...init }),
    options,
  );
  const request: JsonClient = async <T>(url: string, init?: HttpJsonInit) =>
    (await breaker.fire(url, init)) as T;
  return { request, breaker };
}
