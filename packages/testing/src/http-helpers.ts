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

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Resolves once a spawned service answers /readyz. */
export async function ready(baseUrl: string, timeoutMs = 30_000): Promise<void> {
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
