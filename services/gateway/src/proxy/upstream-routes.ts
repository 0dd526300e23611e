/**
 * Which service answers a path under /api, and the path it answers it at. The gateway's own
 * routes (auth, keys, users, audit, events, the API document) are matched before this; anything
 * this does not name is the gateway's 404.
 */
export const UPSTREAMS = ['pipeline', 'hitl', 'job-runner', 'template-blueprint'] as const;
export type Upstream = (typeof UPSTREAMS)[number];

export interface UpstreamTarget {
  upstream: Upstream;
  /** The path at the upstream (query string not included). */
  path: string;
}

interface Rule {
  /** Tested against the path after `/api`. */
  pattern: RegExp;
  upstream: Upstream | ((match: RegExpExecArray) => Upstream);
  /** The upstream path for the matched gateway path. */
  rewrite: (apiPath: string, match: RegExpExecArray) => string;
}

const unchanged = (apiPath: string) => `/api${apiPath}`;
const withoutApi = (apiPath: string) => apiPath;

// Order matters: the hitl parts of a project come before the pipeline's catch-all for projects.
const RULES: readonly Rule[] = [
  // The old system's blueprint routes live at the same paths in template-blueprint.
  { pattern: /^\/(templates|blueprint-runs)(\/|$)/, upstream: 'template-blueprint', rewrite: unchanged },
  {
    pattern: /^\/projects\/[^/]+\/(approvals|audit|gate-overrides)(\/|$)/,
    upstream: 'hitl',
    rewrite: withoutApi,
  },
  { pattern: /^\/(approvals|gates)(\/|$)/, upstream: 'hitl', rewrite: withoutApi },
  { pattern: /^\/projects(\/|$)/, upstream: 'pipeline', rewrite: withoutApi },
  { pattern: /^\/jobs(\/|$)/, upstream: 'job-runner', rewrite: withoutApi },
  // Every service keeps its own dead letters: /api/dead-letters/<service>/... → <service> /dead-letters/...
  {
    pattern: /^\/dead-letters\/(pipeline|hitl|job-runner|template-blueprint)(\/.*)?$/,
    upstream: (match) => match[1] as Upstream,
    rewrite: (_apiPath, match) => `/dead-letters${match[2] ?? ''}`,
  },
];

/** The upstream for `/api<apiPath>`, or undefined when no service answers it. */
export function upstreamFor(apiPath: string): UpstreamTarget | undefined {
  for (const rule of RULES) {
    const match = rule.pattern.exec(apiPath);
    if (!match) continue;
    const upstream = typeof rule.upstream === 'function' ? rule.upstream(match) : rule.upstream;
    return { upstream, path: rule.rewrite(apiPath, match) };
  }
  return undefined;
}
