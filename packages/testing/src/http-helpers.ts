import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { authHeaders } from './identity.js';

export interface JsonResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever fields they assert on
  body: any;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  timeoutMs = 20_000,
  what = 'condition',
  /** How often to look; longer when many waiters share the machine. */
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface JsonRequestOptions {
  /** Sent as `Authorization: Bearer`; default: the default test token (see identity.ts); null: none. */
  token?: string | null;
}

export async function postJson(
  url: string,
  body: unknown = {},
  options: JsonRequestOptions = {},
): Promise<JsonResponse> {
  return requestJson('POST', url, body, options);
}

/** `body` is sent as JSON, or as it is when it is a string (malformed JSON, say). */
export async function requestJson(
  method: string,
  url: string,
  body: unknown,
  options: JsonRequestOptions = {},
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...authHeaders(options.token) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export async function getJson(url: string, options: JsonRequestOptions = {}): Promise<JsonResponse> {
  const response = await fetch(url, { headers: authHeaders(options.token) });
  return { status: response.status, body: await response.json() };
}

/**
 * A port to give a process to listen on. Not from the kernel's ephemeral range (port 0 would pick
 * one there): between this check and the process binding it, any outgoing connection of any
 * process (to the broker, the store) may be given that very port, and the service then dies with
 * EADDRINUSE. Below that range only another listener can take it; the check rules out a current one.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port =
      BELOW_EPHEMERAL.min + Math.floor(Math.random() * (BELOW_EPHEMERAL.max - BELOW_EPHEMERAL.min));
    const server = createServer().listen(port, '127.0.0.1');
    // `once` rejects on 'error' (EADDRINUSE): the port is taken, try another.
    const outcome = await once(server, 'listening').then(
      () => 'free' as const,
      () => 'taken' as const,
    );
    server.close();
    if (outcome === 'free') return port;
  }
}

/** Linux hands out ephemeral ports from 32768 up; these sit below it and above the usual services. */
const BELOW_EPHEMERAL = { min: 20_000, max: 32_000 } as const;

/**
 * Resolves once a spawned service answers /readyz. The default wait is long: a process starting
 * from TypeScript took over 30 s on this 2-core machine while another test file ran fourteen.
 */
export async function ready(baseUrl: string, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    async () => (await fetch(`${baseUrl}/readyz`).catch(() => undefined))?.ok,
    timeoutMs,
    `${baseUrl} ready`,
  );
}

export async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}
