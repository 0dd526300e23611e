import { createJsonClient, type Logger } from '@delivery/service-kit';
import type { ServiceTokens } from '@delivery/service-kit/identity';

export interface ServiceClient {
  readonly name: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, json: unknown): Promise<T>;
}

/**
 * Calls another platform service's API as the pipeline: with a token the pipeline signs for that
 * service, behind a breaker of its own (one slow service does not hold up calls to another), each
 * call bounded by `timeoutMs`. 4xx reach the caller as HttpError without opening the breaker.
 */
export function serviceClient(
  name: string,
  baseUrl: string,
  tokens: ServiceTokens,
  timeoutMs: number,
  logger: Logger,
): ServiceClient {
  const { request } = createJsonClient({ name, timeoutMs, logger });
  const headers = async () => ({ authorization: `Bearer ${await tokens.tokenFor(name)}` });
  return {
    name,
    get: async <T>(path: string) => request<T>(`${baseUrl}${path}`, { headers: await headers() }),
    post: async <T>(path: string, json: unknown) =>
      request<T>(`${baseUrl}${path}`, { method: 'POST', json, headers: await headers() }),
  };
}
