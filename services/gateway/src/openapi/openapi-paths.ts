import { type Upstream, upstreamFor } from '../proxy/upstream-routes.js';

const DEAD_LETTERS = '/dead-letters';

/**
 * Where the gateway serves a service's route: the path after `/api` (as `upstreamFor` takes it).
 * The inverse of `upstreamFor`, and checked against it, so a service route that the gateway
 * would send elsewhere (or nowhere) fails here instead of being documented at a wrong address.
 */
export function gatewayPathOf(upstream: Upstream, servicePath: string): string {
  const apiPath = candidatePath(upstream, servicePath);
  const routed = upstreamFor(apiPath);
  if (routed?.upstream !== upstream || routed.path !== servicePath) {
    throw new Error(
      `${upstream} ${servicePath} is not reachable through the gateway: /api${apiPath} goes to ` +
        (routed ? `${routed.upstream} ${routed.path}` : 'no service'),
    );
  }
  return apiPath;
}

function candidatePath(upstream: Upstream, servicePath: string): string {
  // Every service keeps its own dead letters: the gateway tells them apart by the service's name.
  if (servicePath === DEAD_LETTERS || servicePath.startsWith(`${DEAD_LETTERS}/`)) {
    return `${DEAD_LETTERS}/${upstream}${servicePath.slice(DEAD_LETTERS.length)}`;
  }
  // template-blueprint serves the old system's `/api/...` paths as they were.
  if (upstream === 'template-blueprint' && servicePath.startsWith('/api/'))
    return servicePath.slice('/api'.length);
  return servicePath;
}

/** `/projects/:id/artifacts/:fileId` → `/projects/{id}/artifacts/{fileId}`. */
export const openApiPathOf = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

/** The names of an express path's parameters, in order. */
export const pathParameterNames = (expressPath: string) =>
  [...expressPath.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
