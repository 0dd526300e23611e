import type { PublicPath, Upstream } from '../http/public-paths.js';
import type { Route } from '../http/route-contract.js';
import { deadLetterRoutes } from './dead-letters.js';
import type { gatewayRoutes } from './gateway.js';
import { hitlRoutes } from './hitl.js';
import { jobRunnerRoutes } from './job-runner.js';
import { pipelineRoutes } from './pipeline.js';
import { templateBlueprintRoutes } from './template-blueprint.js';

export * from '../http/public-paths.js';
export * from '../http/route-contract.js';
export * from './dead-letters.js';
export * from './gateway.js';
export * from './hitl.js';
export * from './job-runner.js';
export * from './pipeline.js';
export * from './template-blueprint.js';

/**
 * Every route each service serves (its own and the dead-letter routes all of them have), by
 * service: the gateway's routing table and API document are built from this alone.
 */
export const SERVICE_ROUTES = {
  pipeline: { ...pipelineRoutes, ...deadLetterRoutes },
  hitl: { ...hitlRoutes, ...deadLetterRoutes },
  'job-runner': { ...jobRunnerRoutes, ...deadLetterRoutes },
  'template-blueprint': { ...templateBlueprintRoutes, ...deadLetterRoutes },
} as const satisfies Record<Upstream, Record<string, Route>>;

/** The routes of one service, as a list. */
export const routesOf = (routes: Record<string, Route>): readonly Route[] => Object.values(routes);

type ValuesOf<T> = T[keyof T];

/** A route as the public API serves it: `METHOD /api/...`. */
type PublicRoute<U extends string, R> = R extends Route
  ? { readonly key: `${R['method']} ${PublicPath<U, R['path']>}`; readonly route: R }
  : never;

export type ApiRoute =
  | { [U in Upstream]: PublicRoute<U, ValuesOf<(typeof SERVICE_ROUTES)[U]>> }[Upstream]
  | PublicRoute<'gateway', ValuesOf<typeof gatewayRoutes>>;

/** Every route of the public API by its key, `GET /api/projects/:id`. */
export type ApiKey = ApiRoute['key'];
export type ApiContract<K extends ApiKey> = Extract<ApiRoute, { key: K }>['route'];
