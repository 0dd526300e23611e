import { CORRELATION_HEADER, HttpError, type Logger } from '@delivery/service-kit';
import { type EgressClient, urlForMessage } from '@delivery/service-kit/egress';
import { type JobHandler, PermanentJobError } from '../handler.js';
import { isPermanentHttpStatus } from '../shared/fetch-owned.js';
import { createHostBreakers, type HostBreakerOptions } from '../shared/host-breakers.js';
import { parseOrFail } from '../shared/parse-payload.js';
import { describeBody, interpretExecutorResponse } from './executor-response.js';
import { DEFAULT_MAX_TIMEOUT_MS, httpPayloadSchemaFor } from './http-payload.js';

export interface HttpHandlerDeps {
  /** When the payload gives no timeoutMs. Default 30 s. */
  defaultTimeoutMs?: number;
  /** Largest timeoutMs a payload may ask for; also the breakers' own timeout. Default 5 min. */
  maxTimeoutMs?: number;
  /** Tuning of the per-host breakers (defaults: service-kit's). */
  breaker?: Pick<
    HostBreakerOptions,
    'errorThresholdPercentage' | 'resetTimeoutMs' | 'volumeThreshold' | 'rollingCountTimeoutMs'
  >;
  logger?: Logger;
  /**
   * Decides which executors a payload may name and caps their answers. The job's author chooses
   * the URL, method, headers and body, so this client must not carry the platform services'
   * allowance (PLATFORM_SERVICE_URLS): only EGRESS_ALLOWED_HOSTS.
   */
  egress: EgressClient;
}

/**
 * `http`: hands the job to a team's own executor (a webhook) and maps its answer to the job's
 * outcome. Calls go through one breaker per executor host, so an executor that is down fails its
 * jobs fast (and they retry later) instead of tying up workers until each one times out.
 */
export function createHttpHandler(deps: HttpHandlerDeps): JobHandler {
  const maxTimeoutMs = deps.maxTimeoutMs ?? DEFAULT_MAX_TIMEOUT_MS;
  const defaultTimeoutMs = Math.min(deps.defaultTimeoutMs ?? 30_000, maxTimeoutMs);
  const payloadSchema = httpPayloadSchemaFor(maxTimeoutMs);
  const breakers = createHostBreakers({
    ...deps.breaker,
    name: 'executor',
    timeoutMs: maxTimeoutMs,
    logger: deps.logger,
  });

  return async ({ job, signal }) => {
    const payload = parseOrFail(payloadSchema, job.payload, 'http payload');
    const headers = new Headers(payload.headers);
    // Lets the executor tie its logs to ours, and recognise a retry of a call it already handled.
    if (!headers.has(CORRELATION_HEADER)) headers.set(CORRELATION_HEADER, job.correlationId);
    if (!headers.has('idempotency-key')) headers.set('idempotency-key', job.id);

    let body: unknown;
    try {
      body = await breakers.run(
        payload.url,
        signal,
        (callSignal) =>
          deps.egress.json(payload.url, {
            method: payload.method,
            headers: Object.fromEntries(headers),
            signal: callSignal,
            json: payload.body,
          }),
        payload.timeoutMs ?? defaultTimeoutMs,
      );
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const detail = describeBody(err.body);
      const message = `executor ${payload.method} ${urlForMessage(payload.url)} answered HTTP ${err.status}${detail ? `: ${detail}` : ''}`;
      // A 4xx means the request itself is wrong; sending it again will not help.
      if (isPermanentHttpStatus(err.status)) throw new PermanentJobError(message, { cause: err });
      throw new Error(message, { cause: err });
    }
    return interpretExecutorResponse(body);
  };
}
