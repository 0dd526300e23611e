import { HttpError, httpJson } from '@delivery/service-kit';
import type { HostBreakers } from './host-breakers.js';

/**
 * How handlers read data they do not own (artifacts and their list from pipeline, blueprints
 * from template-blueprint). An interface so handler logic can be exercised without a network.
 *
 * Non-2xx answers reject with service-kit's HttpError (so callers can tell a 404 from a 503);
 * timeouts, network failures and open breakers reject with UpstreamError.
 */
export interface Fetcher {
  json(url: string, signal: AbortSignal): Promise<unknown>;
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

/** Enough of an error body to explain it in a job's error, without holding a large page. */
async function errorSnippet(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  return text.slice(0, 500);
}

/** The default Fetcher: plain fetch behind one service-kit breaker per host. */
export function createHttpFetcher(breakers: HostBreakers): Fetcher {
  return {
    json: (url, signal) => breakers.run(url, signal, (callSignal) => httpJson(url, { signal: callSignal })),
    read: (url, signal, consume) =>
      breakers.run(url, signal, async (callSignal) => {
        const res = await fetch(url, { signal: callSignal });
        if (!res.ok) throw new HttpError(res.status, url, await errorSnippet(res));
        if (!res.body) return consume((async function* () {})());
        return consume(res.body);
      }),
  };
}
