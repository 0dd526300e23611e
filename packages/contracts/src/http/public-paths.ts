/**
 * Where the gateway serves a service's route: the one mapping from a service's own paths to the
 * public API, used by the gateway's routing table at run time and by the web app's typed client
 * at compile time (`PublicPath`). Zod-free, so the web app may import it.
 */
export const UPSTREAMS = ['pipeline', 'hitl', 'job-runner', 'template-blueprint'] as const;
export type Upstream = (typeof UPSTREAMS)[number];

const DEAD_LETTERS = '/dead-letters';

/**
 * Every service keeps its own dead letters (`/dead-letters/...` → `/api/dead-letters/<service>/...`);
 * template-blueprint serves the old system's blueprint paths, already under `/api`; the rest is
 * the service's path under `/api`.
 */
export function publicPathOf(upstream: Upstream, path: string): string {
  if (path === DEAD_LETTERS || path.startsWith(`${DEAD_LETTERS}/`)) {
    return `/api${DEAD_LETTERS}/${upstream}${path.slice(DEAD_LETTERS.length)}`;
  }
  return path.startsWith('/api/') ? path : `/api${path}`;
}

/** `publicPathOf` for the type checker. */
export type PublicPath<U extends string, P extends string> = P extends `${typeof DEAD_LETTERS}${infer Rest}`
  ? `/api${typeof DEAD_LETTERS}/${U}${Rest}`
  : P extends `/api/${string}`
    ? P
    : `/api${P}`;

/** `path` with each `:name` replaced by its value, percent-encoded: `/projects/:id` → `/projects/p%2F1`. */
export function fillPath(path: string, params: Readonly<Record<string, string | number>>): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
}
