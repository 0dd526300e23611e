import {
  callInTurn,
  HttpError,
  lostBeforeAnswer,
  neverConnected,
  type UpstreamPool,
  upstreamPool,
} from '@delivery/service-kit';
import type { EgressClient, EgressResponse } from '@delivery/service-kit/egress';
import { type HostBreakers, UpstreamError } from './host-breakers.js';
import { type CredentialsFor, noCredentials, type PlatformService, replicasOf } from './platform-services.js';

/**
 * How handlers read data they do not own (artifacts and their list from pipeline, blueprints
 * from template-blueprint). An interface so handler logic can be exercised without a network.
 *
 * Non-2xx answers reject with service-kit's HttpError (so callers can tell a 404 from a 503);
 * timeouts, network failures and open breakers reject with UpstreamError; a URL the egress
 * policy refuses, or a body over its cap, with PermanentJobError.
 */
export interface Fetcher {
  json(url: string, signal: AbortSignal): Promise<unknown>;
  /** The body as text, within the egress cap (EGRESS_MAX_BODY_BYTES). */
  text(url: string, signal: AbortSignal): Promise<string>;
  /**
   * Streams a body into `consume`. The consumer runs inside the breaker's timeout, so a download
   * that stalls half way counts as a timeout like one that never starts.
   */
  read<T>(
    url: string,
    signal: AbortSignal,
    consume: (body: AsyncIterable<Uint8Array>) => Promise<T>,
  ): Promise<T>;
}

/** Enough of an error body to explain it in a job's error; an error page over the cap is not the failure. */
async function errorSnippet(res: EgressResponse): Promise<string> {
  const text = await res.text().catch(() => '');
  return text.slice(0, 500);
}

/**
 * The default Fetcher: the worker's egress client behind one service-kit breaker per host.
 * `credentials` adds what a URL's owner requires (a platform service's token) and nothing for
 * any other URL; the egress client drops it on a redirect to another origin.
 */
/**
 * A replica that could not be asked: no connection, a connection lost before the answer (every
 * read is a GET), or its breaker open after such failures. Another replica may answer.
 */
const replicaUnreachable = (error: unknown) =>
  neverConnected(error) ||
  lostBeforeAnswer(error) ||
  (error instanceof UpstreamError && error.failure === 'breaker_open');

export function createHttpFetcher(
  breakers: HostBreakers,
  egress: EgressClient,
  credentials: CredentialsFor = noCredentials,
  /** The platform's services; one listed more than once has replicas that can answer for each other. */
  platforms: readonly PlatformService[] = [],
): Fetcher {
  const pools = new Map<string, UpstreamPool>();
  /** Runs `read` on `url`, or on the same path at another replica while one cannot be reached. */
  const fromAnyReplica = <T>(url: string, read: (url: string) => Promise<T>): Promise<T> => {
    const replicas = replicasOf(platforms, url);
    if (!replicas) return read(url);
    let pool = pools.get(replicas.audience);
    if (!pool) {
      pool = upstreamPool(replicas.bases);
      pools.set(replicas.audience, pool);
    }
    return callInTurn(pool, 'GET', (base) => read(replicas.at(base)), {
      retryable: replicaUnreachable,
      unreachable: replicaUnreachable,
    });
  };
  const ok = async (
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<EgressResponse> => {
    const res = await egress.request(url, { headers, signal });
    if (!res.ok) throw new HttpError(res.status, url, await errorSnippet(res));
    return res;
  };
  return {
    json: (given, signal) =>
      fromAnyReplica(given, async (url) => {
        const headers = await credentials(url);
        return breakers.run(url, signal, (callSignal) => egress.json(url, { headers, signal: callSignal }));
      }),
    text: (given, signal) =>
      fromAnyReplica(given, async (url) => {
        const headers = await credentials(url);
        return breakers.run(url, signal, async (callSignal) => (await ok(url, headers, callSignal)).text());
      }),
    read: (given, signal, consume) =>
      fromAnyReplica(given, async (url) => {
        const headers = await credentials(url);
        return breakers.run(url, signal, async (callSignal) =>
          consume((await ok(url, headers, callSignal)).stream()),
        );
      }),
  };
}
