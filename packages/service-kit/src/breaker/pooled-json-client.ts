import { callInTurn, DEFAULT_UPSTREAM_COOLDOWN_MS, upstreamPool } from '../http/upstream-pool.js';
import { type BreakerOptions, createBreaker } from './create-breaker.js';
import { type HttpJsonInit, httpJson } from './http-json.js';

export type PooledJsonClient = <T = unknown>(path: string, init?: HttpJsonInit) => Promise<T>;

/**
 * httpJson to one service that may run as several processes (`baseUrls`, from a URL list such as
 * `HITL_URL=http://a:4003,http://b:4003`), behind ONE breaker for the service: the replicas are
 * taken in turn, a request that could not connect goes to the next one (whatever its method, the
 * service got nothing), and one whose connection broke before the answer goes to the next only
 * when its method is idempotent. The breaker counts the call as a whole, so a dead replica whose
 * sibling answered costs nothing; each attempt is bounded by `timeoutMs`, as the whole call is.
 */
export function createPooledJsonClient(
  options: BreakerOptions & { baseUrls: readonly string[]; cooldownMs?: number },
): PooledJsonClient {
  const pool = upstreamPool(options.baseUrls, {
    cooldownMs: options.cooldownMs ?? DEFAULT_UPSTREAM_COOLDOWN_MS,
  });
  const breaker = createBreaker(
    (path: string, init?: HttpJsonInit) =>
      callInTurn(pool, init?.method ?? 'GET', (base) =>
        httpJson(`${base}${path}`, { timeoutMs: options.timeoutMs, ...init }),
      ),
    options,
  );
  return async <T>(path: string, init?: HttpJsonInit) => (await breaker.fire(path, init)) as T;
}
