import { type BreakerOptions, createBreaker, HttpError, isClientHttpError } from '@delivery/service-kit';
import { isEgressError, withUrlsMasked } from '@delivery/service-kit/egress';
import { PermanentJobError } from '../handler.js';

/**
 * service-kit's breaker options, one breaker per host: `name` prefixes each one's name
 * (`<name>:<host>`), `timeoutMs` bounds any one call. Which errors count is decided here.
 */
export type HostBreakerOptions = Omit<BreakerOptions, 'isCallerError'>;

/** Why a call to another service failed in a way that retrying later may fix. */
export type UpstreamFailure = 'breaker_open' | 'timeout' | 'network';

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    readonly failure: UpstreamFailure,
    readonly host: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Thrown inside a breaker when the job itself was aborted, so a cancel does not count against the host. */
class JobAbortedError extends Error {
  override name = 'JobAbortedError';
}

/** Errors that say nothing about the host's health: they must neither open a breaker nor be reworded. */
const isCallerFault = (err: unknown): boolean =>
  isClientHttpError(err) ||
  err instanceof JobAbortedError ||
  isEgressError(err) ||
  err instanceof PermanentJobError;

type Task = () => Promise<unknown>;

export interface HostBreakers {
  /**
   * Runs `task` through the breaker of `url`'s host. The task gets a signal that fires on job
   * abort or after `timeoutMs` (capped at the breaker's timeout); it must pass it to fetch so a
   * timed-out call does not keep a socket busy.
   */
  run<T>(
    url: string,
    signal: AbortSignal,
    task: (signal: AbortSignal) => Promise<T>,
    timeoutMs?: number,
  ): Promise<T>;
  shutdown(): void;
}

/**
 * One breaker per host: one slow or failing service must not make calls to the others fail fast.
 * HttpError (any status) and caller faults reach the caller unchanged; everything else becomes an
 * UpstreamError saying whether the breaker was open, the call timed out, or the network failed.
 * An egress refusal or an over-cap body becomes a PermanentJobError.
 */
export function createHostBreakers(options: HostBreakerOptions): HostBreakers {
  const breakers = new Map<string, ReturnType<typeof createBreaker<[Task], unknown>>>();

  const breakerFor = (host: string) => {
    let breaker = breakers.get(host);
    if (!breaker) {
      breaker = createBreaker((task: Task) => task(), {
        ...options,
        name: `${options.name}:${host}`,
        isCallerError: isCallerFault,
      });
      breakers.set(host, breaker);
    }
    return breaker;
  };

  async function run<T>(
    url: string,
    signal: AbortSignal,
    task: (signal: AbortSignal) => Promise<T>,
    timeoutMs?: number,
  ): Promise<T> {
    signal.throwIfAborted();
    const host = new URL(url).host;
    const limit = Math.min(timeoutMs ?? options.timeoutMs, options.timeoutMs);
    const deadline = AbortSignal.timeout(limit);
    const combined = AbortSignal.any([signal, deadline]);
    try {
      return (await breakerFor(host).fire(async () => {
        try {
          return await task(combined);
        } catch (err) {
          if (signal.aborted) throw new JobAbortedError('job aborted', { cause: err });
          throw err;
        }
      })) as T;
    } catch (err) {
      // A cancel or lost lease: surface the abort itself, not whatever the fetch made of it.
      signal.throwIfAborted();
      // The egress policy and the body cap give the same answer on every attempt.
      if (isEgressError(err)) throw new PermanentJobError(err.message, { cause: err });
      if (err instanceof HttpError || isCallerFault(err)) throw err;
      const code = (err as { code?: unknown }).code;
      if (code === 'EOPENBREAKER') {
        throw new UpstreamError(
          'breaker_open',
          host,
          `circuit breaker for ${host} is open after repeated failures; failing fast`,
          { cause: err },
        );
      }
      if (code === 'ETIMEDOUT' || deadline.aborted) {
        throw new UpstreamError('timeout', host, `${host} did not answer within ${limit}ms`, {
          cause: err,
        });
      }
      // fetch's own messages may quote the whole URL, credentials included.
      const detail = withUrlsMasked(
        err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : '',
      );
      throw new UpstreamError('network', host, `request to ${host} failed: ${detail}`, { cause: err });
    }
  }

  return {
    run,
    shutdown() {
      for (const breaker of breakers.values()) breaker.shutdown();
      breakers.clear();
    },
  };
}
