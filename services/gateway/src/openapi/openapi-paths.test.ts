import { UPSTREAMS, upstreamFor } from '../proxy/upstream-routes.js';
import { gatewayPathOf, openApiPathOf, pathParameterNames } from './gateway-paths.js';
import { SERVICE_CATALOGS } from './service-catalogs.js';

const catalogRoutes = UPSTREAMS.flatMap((upstream) =>
  SERVICE_CATALOGS[upstream].map((route) => [upstream, route.method, route.path] as const),
);

test('every service has routes in its catalog', () => {
  for (const upstream of UPSTREAMS) expect(SERVICE_CATALOGS[upstream].length).toBeGreaterThan(2);
});

test.each(catalogRoutes)(
  '%s %s %s: the gateway routes its gateway path back to it',
  (upstream, _method, path) => {
    expect(upstreamFor(gatewayPathOf(upstream, path))).toEqual({ upstream, path });
  },
);

test.each([
  ['pipeline', '/projects/:id/why', '/projects/:id/why'],
  ['hitl', '/projects/:projectId/audit', '/projects/:projectId/audit'],
  ['template-blueprint', '/api/templates/:id', '/templates/:id'],
  ['template-blueprint', '/api/blueprint-runs/:runId', '/blueprint-runs/:runId'],
  ['job-runner', '/dead-letters', '/dead-letters/job-runner'],
  ['template-blueprint', '/dead-letters/:queue/replay', '/dead-letters/template-blueprint/:queue/replay'],
] as const)('%s %s is served at /api%s', (upstream, path, apiPath) => {
  expect(gatewayPathOf(upstream, path)).toBe(apiPath);
});

test.each([
  ['hitl', '/healthz'],
  ['pipeline', '/readyz'],
  // The gateway sends a project's approvals to hitl, not to the pipeline.
  ['pipeline', '/projects/:id/approvals'],
  ['job-runner', '/projects'],
  ['template-blueprint', '/templates'],
] as const)('%s %s is not reachable through the gateway, and says so', (upstream, path) => {
  expect(() => gatewayPathOf(upstream, path)).toThrow(
    `${upstream} ${path} is not reachable through the gateway`,
  );
});

test('express parameters become OpenAPI ones, in order', () => {
  expect(openApiPathOf('/projects/:id/artifacts/:fileId')).toBe('/projects/{id}/artifacts/{fileId}');
  expect(pathParameterNames('/projects/:id/artifacts/:fileId')).toEqual(['id', 'fileId']);
  expect(pathParameterNames('/jobs')).toEqual([]);
});
