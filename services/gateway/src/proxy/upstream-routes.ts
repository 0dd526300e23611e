import {
  gatewayRoutes,
  publicPathOf,
  type Route,
  type RouteContract,
  SERVICE_ROUTES,
  UPSTREAMS,
  type Upstream,
} from '@delivery/contracts/routes';

/**
 * Which service answers a request under /api, and at which of its paths: compiled from the route
 * contracts (each service's routes at `publicPathOf` their path), never written by hand. A path
 * no contract names is no one's (the gateway's 404); a path some contract names, asked with a
 * method none has, is a 405 that says which methods it has.
 */

export interface UpstreamTarget {
  readonly kind: 'upstream';
  readonly upstream: Upstream;
  /** The path at the upstream, its parameters as the caller sent them (still percent-encoded). */
  readonly path: string;
  readonly route: RouteContract;
}

/** One of the gateway's own routes: its routers answer it. */
export interface GatewayTarget {
  readonly kind: 'gateway';
  readonly route: RouteContract;
}

export interface MethodNotAllowed {
  readonly kind: 'method_not_allowed';
  /** The methods the path has, for the `Allow` header. */
  readonly allow: readonly string[];
}

export type RoutingResult = UpstreamTarget | GatewayTarget | MethodNotAllowed;

type Segment = { readonly literal: string } | { readonly param: string };

interface Entry {
  readonly owner: Upstream | 'gateway';
  readonly route: RouteContract;
  /** The public path, by segment. */
  readonly pattern: readonly Segment[];
}

/** Each service's routes, as SERVICE_ROUTES has them. */
export type ServiceRoutes = Readonly<Record<Upstream, Readonly<Record<string, Route>>>>;

const PARAM = /^:(\w+)$/;

/** An express path of literal segments and `:name` parameters; anything else is refused. */
function segmentsOf(path: string, where: string): Segment[] {
  if (!path.startsWith('/')) throw new Error(`${where}: the path must start with /`);
  return path
    .slice(1)
    .split('/')
    .map((text) => {
      const param = PARAM.exec(text)?.[1];
      if (param) return { param };
      if (text === '' || /[:*?+(){}\\]/.test(text)) {
        throw new Error(`${where}: "${text}" is neither a literal segment nor a :parameter`);
      }
      return { literal: text };
    });
}

const shapeOf = (pattern: readonly Segment[]) =>
  pattern.map((segment) => ('literal' in segment ? segment.literal : ':')).join('/');

/** Earlier literal segments win over parameters: `/jobs/stats` before `/jobs/:id`. */
function moreSpecific(a: Entry, b: Entry): number {
  for (let index = 0; index < a.pattern.length; index++) {
    const aLiteral = 'literal' in (a.pattern[index] as Segment);
    const bLiteral = 'literal' in (b.pattern[index] as Segment);
    if (aLiteral !== bLiteral) return aLiteral ? -1 : 1;
  }
  return 0;
}

/** The parameters of `segments` under `pattern` (same length), or undefined when it does not match. */
function match(pattern: readonly Segment[], segments: readonly string[]): Map<string, string> | undefined {
  const params = new Map<string, string>();
  for (const [index, segment] of pattern.entries()) {
    const given = segments[index] as string;
    if ('literal' in segment) {
      if (given !== segment.literal) return undefined;
    } else {
      if (given === '') return undefined;
      params.set(segment.param, given);
    }
  }
  return params;
}

export class RoutingTable {
  /** Entries by their number of segments, the most specific first. */
  private readonly byLength = new Map<number, Entry[]>();

  constructor(entries: readonly Entry[]) {
    const seen = new Map<string, Entry>();
    for (const entry of entries) {
      const key = `${entry.route.method} ${shapeOf(entry.pattern)}`;
      const other = seen.get(key);
      if (other) {
        throw new Error(
          `${entry.route.method} ${publicPathOfEntry(other)} is served by both ${other.owner} ` +
            `(${other.route.path}) and ${entry.owner} (${entry.route.path})`,
        );
      }
      seen.set(key, entry);
      const sameLength = this.byLength.get(entry.pattern.length) ?? [];
      sameLength.push(entry);
      this.byLength.set(entry.pattern.length, sameLength);
    }
    for (const sameLength of this.byLength.values()) sameLength.sort(moreSpecific);
  }

  /**
   * Where `method pathname` goes: `pathname` as the caller sent it (percent-encoded, no query).
   * Undefined: no contract names the path.
   */
  lookup(method: string, pathname: string): RoutingResult | undefined {
    // A trailing slash is the same path, as the services' routers read it.
    const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    const segments = path.slice(1).split('/');
    const matches = (this.byLength.get(segments.length) ?? []).flatMap((entry) => {
      const params = match(entry.pattern, segments);
      return params ? [{ entry, params }] : [];
    });
    if (matches.length === 0) return undefined;
    // HEAD is a GET without the body, wherever there is a GET.
    const asked = method === 'HEAD' ? 'GET' : method;
    const found = matches.find(({ entry }) => entry.route.method === asked);
    if (!found) return { kind: 'method_not_allowed', allow: allowed(matches.map(({ entry }) => entry)) };
    const { entry, params } = found;
    if (entry.owner === 'gateway') return { kind: 'gateway', route: entry.route };
    return {
      kind: 'upstream',
      upstream: entry.owner,
      route: entry.route,
      path: entry.route.path.replace(/:(\w+)/g, (_text, name: string) => params.get(name) as string),
    };
  }
}

function allowed(entries: readonly Entry[]): string[] {
  const methods = new Set<string>(entries.map((entry) => entry.route.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

const publicPathOfEntry = (entry: Entry) =>
  `/${entry.pattern.map((segment) => ('literal' in segment ? segment.literal : `:${segment.param}`)).join('/')}`;

/**
 * The table of `services`' routes at their public paths, and of the gateway's own (so that their
 * paths are known too, and a service route cannot take one of them over).
 */
export function compileRoutingTable(
  services: ServiceRoutes = SERVICE_ROUTES,
  own: Readonly<Record<string, RouteContract>> = gatewayRoutes,
): RoutingTable {
  const entries: Entry[] = [
    ...Object.values(own).map((route) => ({
      owner: 'gateway' as const,
      route,
      pattern: segmentsOf(route.path, `gateway ${route.method} ${route.path}`),
    })),
    ...UPSTREAMS.flatMap((upstream) =>
      Object.values(services[upstream]).map((route) => {
        const where = `${upstream} ${route.method} ${route.path}`;
        // The service's path is checked too: its parameters are what the public path's fill in.
        segmentsOf(route.path, where);
        return { owner: upstream, route, pattern: segmentsOf(publicPathOf(upstream, route.path), where) };
      }),
    ),
  ];
  return new RoutingTable(entries);
}
