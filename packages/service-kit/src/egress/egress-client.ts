import { context, propagation } from '@opentelemetry/api';
import { Agent, fetch, type Response } from 'undici';
import { HttpError } from '../breaker/http-json.js';
import { checkedLookup } from './checked-lookup.js';
import { EgressRefusedError, egressErrorIn, ResponseTooLargeError } from './egress-errors.js';
import type { EgressPolicy } from './egress-policy.js';
import { readCapped } from './read-capped.js';
import { urlForMessage } from './url-for-message.js';

export interface EgressOptions {
  policy: EgressPolicy;
  /** Cap of every body read into memory (`text()`, `json()`). */
  maxBodyBytes: number;
  /** Redirects followed, each re-checked against the policy. Default 5. */
  maxRedirects?: number;
}

export interface EgressInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface EgressJsonInit extends Omit<EgressInit, 'body'> {
  /** Sent as a JSON body. */
  json?: unknown;
}

export interface EgressResponse {
  status: number;
  ok: boolean;
  /** Where the answer finally came from, after redirects. */
  url: string;
  headers: Headers;
  /** The body as text, up to the client's cap; past it the request is aborted (ResponseTooLargeError). */
  text(): Promise<string>;
  /** The raw body, for a consumer that bounds what it reads itself (hashing a large artifact). */
  stream(): AsyncIterable<Uint8Array>;
}

export interface EgressClient {
  readonly maxBodyBytes: number;
  /** Sends a request the policy allows, following allowed redirects; the body is not read yet. */
  request(url: string, init?: EgressInit): Promise<EgressResponse>;
  /** JSON over `request`: sends traceparent, reads the answer within the cap, throws HttpError on non-2xx. */
  json<T = unknown>(url: string, init?: EgressJsonInit): Promise<T>;
  close(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/**
 * The caller's headers that may follow a redirect to another origin. Any other may be a credential
 * meant for the first origin (an executor's x-api-key as much as authorization), so it stays behind.
 */
const CROSS_ORIGIN_HEADERS = new Set(['accept', 'accept-encoding', 'content-type', 'user-agent']);
const ERROR_SNIPPET_BYTES = 64 * 1024;

interface Answer {
  res: Response;
  url: string;
  abort: AbortController;
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * fetch under the egress policy: every URL (the first and each redirect target) is checked before
 * it is requested, every connection resolves and checks its addresses itself and connects only
 * to those, and bodies are read within a cap. One client per process: its agent's sockets were
 * connected under its policy, so they are never shared with another.
 */
export function createEgressClient(options: EgressOptions): EgressClient {
  const { policy, maxBodyBytes } = options;
  const maxRedirects = options.maxRedirects ?? 5;
  const agent = new Agent({ connect: { lookup: checkedLookup(policy) } });

  const readText = async ({ res, url, abort }: Answer): Promise<string> => {
    const bytes = await readCapped(res.body, maxBodyBytes, () => {
      const error = new ResponseTooLargeError(maxBodyBytes, url);
      abort.abort(error);
      return error;
    });
    return bytes.toString('utf8');
  };

  /** Enough of an error page to explain it; never the cause of a failure itself. */
  const readSnippet = async ({ res }: Answer): Promise<string> => {
    const max = Math.min(maxBodyBytes, ERROR_SNIPPET_BYTES);
    const bytes = await readCapped(res.body, max, () => new Error('error body truncated'), true);
    return bytes.toString('utf8');
  };

  async function send(url: URL, init: EgressInit, signal: AbortSignal): Promise<Response> {
    policy.checkUrl(url);
    try {
      return await fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        redirect: 'manual',
        dispatcher: agent,
        signal,
      });
    } catch (err) {
      throw egressErrorIn(err) ?? err;
    }
  }

  async function follow(input: string, init: EgressInit): Promise<Answer> {
    const abort = new AbortController();
    const signal = init.signal ? AbortSignal.any([init.signal, abort.signal]) : abort.signal;
    let url = new URL(input);
    let current = init;
    for (let hop = 0; ; hop++) {
      const res = await send(url, current, signal);
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || location === null) return { res, url: url.href, abort };
      await res.body?.cancel().catch(() => undefined);
      if (hop >= maxRedirects) {
        throw new EgressRefusedError(
          'redirects',
          `more than ${maxRedirects} redirects from ${urlForMessage(input)}`,
        );
      }
      const next = new URL(location, url);
      const headers = new Headers(current.headers);
      if (next.origin !== url.origin) {
        for (const name of [...headers.keys()]) if (!CROSS_ORIGIN_HEADERS.has(name)) headers.delete(name);
      }
      // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
      const asGet =
        res.status === 303 || ((res.status === 301 || res.status === 302) && current.method === 'POST');
      if (asGet) headers.delete('content-type');
      const kept = Object.fromEntries(headers);
      current = asGet ? { headers: kept, method: 'GET' } : { ...current, headers: kept };
      url = next;
    }
  }

  async function json<T>(url: string, init: EgressJsonInit = {}): Promise<T> {
    const { json: payload, headers: given, ...rest } = init;
    const headers = new Headers(given);
    headers.set('accept', 'application/json');
    if (payload !== undefined) headers.set('content-type', 'application/json');
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    for (const [key, value] of Object.entries(carrier)) headers.set(key, value);
    const answer = await follow(url, {
      ...rest,
      headers: Object.fromEntries(headers),
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
    if (!answer.res.ok) {
      const snippet = await readSnippet(answer).catch(() => '');
      throw new HttpError(answer.res.status, url, parseBody(snippet));
    }
    return parseBody(await readText(answer)) as T;
  }

  async function request(url: string, init: EgressInit = {}): Promise<EgressResponse> {
    const answer = await follow(url, init);
    const { res } = answer;
    return {
      status: res.status,
      ok: res.ok,
      url: answer.url,
      headers: res.headers as unknown as Headers,
      text: () => readText(answer),
      stream: () => res.body ?? (async function* () {})(),
    };
  }

  return { maxBodyBytes, request, json, close: () => agent.close() };
}
