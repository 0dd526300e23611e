import type { RouteSpec } from '@delivery/contracts';
import { SERVICE_ROUTES } from '@delivery/contracts/routes';
// Each service's own list of its routes and the schemas they parse with: the document is
// generated from what the services really validate, never from a copy kept here. (The services
// are dependencies in package.json, so that turbo re-checks the gateway when one changes.)
import type { Upstream } from '../proxy/upstream-routes.js';

export type ServiceCatalogs = Readonly<Record<Upstream, readonly RouteSpec[]>>;

export const SERVICE_CATALOGS: ServiceCatalogs = {
  pipeline: Object.values(SERVICE_ROUTES.pipeline),
  hitl: Object.values(SERVICE_ROUTES.hitl),
  'job-runner': Object.values(SERVICE_ROUTES['job-runner']),
  'template-blueprint': Object.values(SERVICE_ROUTES['template-blueprint']),
};
