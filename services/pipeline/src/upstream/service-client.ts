import {
  fillPath,
  type ParamsOf,
  type ResponseOf,
  type RouteContract,
  successSchemaOf,
} from '@delivery/contracts';
import { createPooledJsonClient, type Logger } from '@delivery/service-kit';
import type { ServiceTokens } from '@delivery/service-kit/identity';
import { UpstreamContractError } from './upstream-errors.js';

/** What a call of `route` sends: its path parameters, query and JSON body. */
export interface RouteCall<R extends RouteContract> {
  params?: ParamsOf<R>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export interface ServiceClient {
  readonly name: string;
  /**
   * Calls one of the service's routes and parses the answer with the route's own response schema
   * (its owner's contract): an answer off the contract is the upstream's failure, not ours.
   */
  call<R extends RouteContract>(route: R, input?: RouteCall<R>): Promise<ResponseOf<R>>;
}

/**
 * Calls another platform service's API as the pipeline: with a token the pipeline signs for that
 * service, behind a breaker of its own (one slow service does not hold up calls to another), each
 * call bounded by `timeoutMs`. 4xx reach the caller as HttpError without opening the breaker.
 * `baseUrls` are the service's replicas (a URL list in config), taken in turn; a replica that
 * cannot be reached is passed over (service-kit's upstream pool).
 */
export function serviceClient(
  name: string,
  baseUrls: string | readonly string[],
  tokens: ServiceTokens,
  timeoutMs: number,
  logger: Logger,
): ServiceClient {
  const request = createPooledJsonClient({
    name,
    timeoutMs,
    logger,
    baseUrls: typeof baseUrls === 'string' ? [baseUrls] : baseUrls,
  });
  const headers = async () => ({ authorization: `Bearer ${await tokens.tokenFor(name)}` });
  return {
    name,
    async call(route, input = {}) {
      const path = fillPath(route.path, (input.params ?? {}) as Record<string, string>);
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(input.query ?? {})) {
        if (value !== undefined) query.set(key, String(value));
      }
      const answer = await request<unknown>(`${path}${query.size > 0 ? `?${query}` : ''}`, {
        method: route.method,
        ...(input.body !== undefined && { json: input.body }),
        headers: await headers(),
      });
      const schema = successSchemaOf(route);
      if (!schema) return answer as ResponseOf<typeof route>;
      const parsed = schema.safeParse(answer);
      if (!parsed.success) {
        throw new UpstreamContractError(`${name} answered ${route.method} ${route.path} off its contract`, {
          service: name,
          issues: parsed.error.issues.map((issue) => ({
            path: issue.path.join('.'),
            message: issue.message,
          })),
        });
      }
      return parsed.data as ResponseOf<typeof route>;
    },
  };
}
