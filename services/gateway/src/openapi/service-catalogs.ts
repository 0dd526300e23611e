import type { RouteSpec } from '@delivery/contracts';
import { SERVICE_ROUTES } from '@delivery/contracts/routes';
// Each service's own list of its routes and the schemas they parse with: the document is
// generated from what the services really validate, never from a copy kept here. (The services
// are dependencies in package.json, so that turbo re-checks the gateway when one changes.)
import { jobRunnerRouteCatalog } from '../../../job-runner/src/http/route-catalog.js';
import { pipelineRouteCatalog } from '../../../pipeline/src/http/route-catalog.js';
import { templateBlueprintRouteCatalog } from '../../../template-blueprint/src/http/route-catalog.js';
import type { Upstream } from '../proxy/upstream-routes.js';

export type ServiceCatalogs = Readonly<Record<Upstream, readonly RouteSpec[]>>;

export const SERVICE_CATALOGS: ServiceCatalogs = {
  pipeline: pipelineRouteCatalog,
  hitl: Object.values(SERVICE_ROUTES.hitl),
  'job-runner': jobRunnerRouteCatalog,
  'template-blueprint': templateBlueprintRouteCatalog,
};
