import { context, propagation } from '@opentelemetry/api';
import { urlForMessage } from '../egress/url-for-message.js';

/**
 * A non-2xx answer. 4xx are the caller's mistake, so breakers do not count them (see create-breaker.ts).
 * `url` is kept as messages show it (no credentials, query values masked): errors are logged and stored.
 */
export class HttpError extends Error {
  readonly url: string;
  constructor(
    readonly status: number,
    url: string,
    readonly body: unknown,
  ) {
    const shown = urlForMessage(url);
    super(`HTTP ${status} from ${shown}`);
    this.name = 'HttpError';
    this.url = shown;
  }
}

export interface HttpJsonInit extends Omit<RequestInit, 'body'> {
  /** Sent as a JSON body. */
  json?: unknown;
  /** Aborts the request itself, so a timed-out call does not keep a socket busy. */
  timeoutMs?: number;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** fetch for JSON APIs: sends traceparent, parses the answer, throws HttpError on non-2xx. */
export async function httpJson<T = unknown>(url: string, init: HttpJsonInit = {}): Promise<T> {
  const { json, timeoutMs, headers: given, signal, ...rest } = init;
  const headers = new Headers(given);
  headers.set('accept', 'application/json');
  if (json !== undefined) headers.set('content-type', 'application/json');
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  for (const [key, value] of Object.entries(carrier)) headers.set(key, value);

  const signals = [signal, timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined].filter((s) => s != null);
  const res = await fetch(url, {
    ...rest,
    headers,
    body: json === undefined ? null : JSON.stringify(json),
    signal: signals.length > 0 ? AbortSignal.any(signals) : null,
  });
  const body = await readBody(res);
  if (!res.ok) throw new HttpError(res.status, url, body);
  return body as T;
}
