import { GATEWAY_ISSUER, SERVICE_AUDIENCES } from '@delivery/contracts';
import type { ServiceTokens } from '@delivery/service-kit/identity';
import { z } from 'zod';

/** A platform service the stage handlers read from: its name (the audience of its tokens) and base URL. */
export interface PlatformService {
  audience: string;
  url: string;
}

const SERVICES = SERVICE_AUDIENCES.filter((name) => name !== GATEWAY_ISSUER);
const ENTRY = /^([a-z][a-z0-9-]*)=(.+)$/;
const isHttpUrl = (value: string) => z.url({ protocol: /^https?$/ }).safeParse(value).success;

/**
 * PLATFORM_SERVICE_URLS: `name=url` entries, comma-separated (`template-blueprint=http://tb:4002`).
 * The name says whose token a request to that URL carries, so a plain URL is refused: its reads
 * would carry no token and fail with 401. A name given several times names the service's
 * replicas (`pipeline=http://a:4004,pipeline=http://b:4004`): a read from one that cannot be
 * reached is made from another (see `replicasOf`).
 */
export const platformServicesSchema = z
  .string()
  .optional()
  .transform((value, ctx): PlatformService[] => {
    const services: PlatformService[] = [];
    for (const entry of (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const match = ENTRY.exec(entry);
      const [audience, url] = [match?.[1] ?? '', match?.[2]?.trim() ?? ''];
      if (match && SERVICES.includes(audience as (typeof SERVICES)[number]) && isHttpUrl(url)) {
        services.push({ audience, url });
      } else {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not service=URL, the service one of ${SERVICES.join(', ')} and the URL http(s)`,
        });
      }
    }
    return services;
  });

/** `/api` and `/api/...` are under the base path `/api`; `/apix` is not. */
const under = (path: string, base: string) =>
  base === '/' || path === base || path.startsWith(base.endsWith('/') ? base : `${base}/`);

/** The platform service `url` belongs to: same origin and under its base path (the longest wins). */
export function platformServiceOf(
  services: readonly PlatformService[],
  url: string,
): PlatformService | undefined {
  const target = new URL(url);
  let found: { service: PlatformService; depth: number } | undefined;
  for (const service of services) {
    const base = new URL(service.url);
    if (base.origin !== target.origin || !under(target.pathname, base.pathname)) continue;
    if (!found || base.pathname.length > found.depth) found = { service, depth: base.pathname.length };
  }
  return found?.service;
}

/**
 * The replicas that can answer a read of `url`: when it is under a base URL of a platform service
 * listed more than once, the same path (and query) under each of that service's base URLs, as
 * `at(base)`; undefined when there is no other replica to ask. A job's payload names one replica
 * (the pipeline's PUBLIC_URL); the others hold the same data, since they share one database.
 */
export function replicasOf(
  services: readonly PlatformService[],
  url: string,
): { audience: string; bases: string[]; at: (base: string) => string } | undefined {
  const service = platformServiceOf(services, url);
  if (!service) return undefined;
  const bases = services.filter((other) => other.audience === service.audience).map((other) => other.url);
  if (bases.length < 2) return undefined;
  const target = new URL(url);
  const basePath = new URL(service.url).pathname.replace(/\/+$/, '');
  const rest = `${target.pathname.slice(basePath.length)}${target.search}`;
  return {
    audience: service.audience,
    bases,
    at: (base) => {
      const replica = new URL(base);
      return `${replica.origin}${replica.pathname.replace(/\/+$/, '')}${rest}`;
    },
  };
}

/** The headers a request to a URL carries besides its own: a platform service's token, or none. */
export type CredentialsFor = (url: string) => Promise<Record<string, string>>;

export const noCredentials: CredentialsFor = async () => ({});

/**
 * A request to a platform service carries this worker's service token for that service; a request
 * anywhere else carries none, so a token never reaches a host that is not its audience.
 */
export function platformCredentials(
  services: readonly PlatformService[],
  tokens: ServiceTokens,
): CredentialsFor {
  return async (url): Promise<Record<string, string>> => {
    const service = platformServiceOf(services, url);
    if (!service) return {};
    return { authorization: `Bearer ${await tokens.tokenFor(service.audience)}` };
  };
}
