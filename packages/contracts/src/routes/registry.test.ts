import { deadLetterRoutes } from './dead-letters.js';
import { gatewayRoutes } from './gateway.js';
import { hitlRoutes } from './hitl.js';
import { SERVICE_ROUTES } from './index.js';
import { jobRunnerRoutes } from './job-runner.js';
import { pipelineRoutes } from './pipeline.js';
import { templateBlueprintRoutes } from './template-blueprint.js';

const own = {
  pipeline: pipelineRoutes,
  hitl: hitlRoutes,
  'job-runner': jobRunnerRoutes,
  'template-blueprint': templateBlueprintRoutes,
} as const;

describe('the route registry', () => {
  it.each(Object.keys(own) as (keyof typeof own)[])(
    'holds every route of %s and the dead-letter routes, none hiding another of the same name',
    (service) => {
      const names = [...Object.keys(own[service]), ...Object.keys(deadLetterRoutes)];
      expect(new Set(names).size).toBe(names.length);
      expect(Object.keys(SERVICE_ROUTES[service]).sort()).toEqual(names.sort());
    },
  );

  it.each([...Object.entries(SERVICE_ROUTES), ['gateway', gatewayRoutes] as const])(
    '%s serves each method and path once, under the name that holds it',
    (_service, routes) => {
      const keys = Object.values(routes).map((route) => route.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const route of Object.values(routes)) expect(route.key).toBe(`${route.method} ${route.path}`);
    },
  );
});
