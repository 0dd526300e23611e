import {
  deadLetterRoutes,
  defineRoute,
  gatewayRoutes,
  json,
  multipartBody,
  publicPathOf,
  type Route,
  type RouteContract,
  SERVICE_ROUTES,
  UPSTREAMS,
} from '@delivery/contracts/routes';
import { z } from 'zod';
import { compileRoutingTable, type ServiceRoutes } from './upstream-routes.js';

const route = (method: Route['method'], path: string, extra: Partial<RouteContract> = {}): Route =>
  defineRoute({ method, path, summary: path, responses: { 200: json('x', z.object({})) }, ...extra });

/** A small world of services, shaped as the real ones are (see the last tests for those). */
const services: ServiceRoutes = {
  pipeline: {
    listProjects: route('GET', '/projects'),
    get: route('GET', '/projects/:id'),
    upload: route('POST', '/projects/:id/artifacts', { body: multipartBody('file') }),
    ...deadLetterRoutes,
  },
  hitl: {
    approvals: route('GET', '/projects/:projectId/approvals'),
    approve: route('POST', '/approvals/:id/approve'),
    ...deadLetterRoutes,
  },
  'job-runner': {
    get: route('GET', '/jobs/:id'),
    // Declared after the parameter on purpose: the literal wins wherever it is declared.
    stats: route('GET', '/jobs/stats'),
    cancel: route('POST', '/jobs/:id/cancel'),
    ...deadLetterRoutes,
  },
  'template-blueprint': {
    listTemplates: route('GET', '/api/templates'),
    ...deadLetterRoutes,
  },
};
const table = compileRoutingTable(services);

test.each([
  ['GET', '/api/projects', 'pipeline', '/projects', '/projects'],
  ['GET', '/api/projects/p1', 'pipeline', '/projects/:id', '/projects/p1'],
  ['GET', '/api/projects/p1/', 'pipeline', '/projects/:id', '/projects/p1'],
  ['HEAD', '/api/projects/p1', 'pipeline', '/projects/:id', '/projects/p1'],
  // Parameters pass as the caller encoded them: the service decodes them once, as it would.
  ['GET', '/api/projects/a%20b%3Fc', 'pipeline', '/projects/:id', '/projects/a%20b%3Fc'],
  ['POST', '/api/projects/p1/artifacts', 'pipeline', '/projects/:id/artifacts', '/projects/p1/artifacts'],
  ['GET', '/api/projects/p1/approvals', 'hitl', '/projects/:projectId/approvals', '/projects/p1/approvals'],
  ['POST', '/api/approvals/a1/approve', 'hitl', '/approvals/:id/approve', '/approvals/a1/approve'],
  ['GET', '/api/jobs/stats', 'job-runner', '/jobs/stats', '/jobs/stats'],
  ['GET', '/api/jobs/j1', 'job-runner', '/jobs/:id', '/jobs/j1'],
  ['GET', '/api/templates', 'template-blueprint', '/api/templates', '/api/templates'],
  ['GET', '/api/dead-letters/job-runner', 'job-runner', '/dead-letters', '/dead-letters'],
  [
    'POST',
    '/api/dead-letters/hitl/hitl.gate.evaluate.dlq/replay',
    'hitl',
    '/dead-letters/:queue/replay',
    '/dead-letters/hitl.gate.evaluate.dlq/replay',
  ],
] as const)('%s %s → %s %s as %s', (method, pathname, upstream, routePath, path) => {
  expect(table.lookup(method, pathname)).toEqual({
    kind: 'upstream',
    upstream,
    path,
    route: expect.objectContaining({ path: routePath }),
  });
});

test.each([
  ['DELETE', '/api/projects', ['GET', 'HEAD']],
  ['PUT', '/api/projects/p1', ['GET', 'HEAD']],
  ['GET', '/api/jobs/j1/cancel', ['POST']],
  ['GET', '/api/dead-letters/hitl/q/replay', ['POST']],
  ['POST', '/api/dead-letters/pipeline', ['GET', 'HEAD']],
  // The gateway's own paths are known too.
  ['PUT', '/api/keys', ['GET', 'HEAD', 'POST']],
  ['POST', '/api/users/u1', ['GET', 'HEAD', 'PATCH']],
] as const)('%s %s: the path has other methods only: %j', (method, pathname, allow) => {
  expect(table.lookup(method, pathname)).toEqual({ kind: 'method_not_allowed', allow });
});

test.each([
  ['GET', '/api/keys'],
  ['DELETE', '/api/keys/k1'],
  ['POST', '/api/auth/login'],
  ['GET', '/api/events'],
])('%s %s is the gateway’s own', (method, pathname) => {
  expect(table.lookup(method, pathname)).toMatchObject({ kind: 'gateway', route: { method } });
});

test.each([
  '/',
  '/api',
  '/api/',
  '/api/projectsx',
  '/api/Projects',
  '/api/%70rojects',
  '/api/templatesx/1',
  '/api/templates/t1/unknown',
  '/api/projects/p1/approvals/extra',
  '/api/dead-letters',
  '/api/dead-letters/nobody',
  '/api/healthz',
  '/healthz',
  '/projects',
  // The docs page's files are the gateway's, but no API route: its routers answer them.
  '/api/docs/init.js',
])('%s is no contract’s path', (pathname) => {
  expect(table.lookup('GET', pathname)).toBeUndefined();
});

describe('a table the contracts cannot make is refused', () => {
  const withRoute = (extra: Route): ServiceRoutes => ({
    ...services,
    'job-runner': { ...services['job-runner'], extra },
  });

  test('two routes at one public path and method', () => {
    expect(() => compileRoutingTable(withRoute(route('GET', '/projects/:projectId')))).toThrow(
      'GET /api/projects/:id is served by both pipeline (/projects/:id) and job-runner (/projects/:projectId)',
    );
  });

  test('a service route at one of the gateway’s own paths', () => {
    expect(() => compileRoutingTable(withRoute(route('GET', '/keys')))).toThrow(
      'GET /api/keys is served by both gateway (/api/keys) and job-runner (/keys)',
    );
  });

  test.each(['/jobs/*rest', '/jobs{/:id}', '/jobs//x'])('a path the table cannot read: %s', (path) => {
    expect(() => compileRoutingTable(withRoute(route('GET', path)))).toThrow(
      'is neither a literal segment nor a :parameter',
    );
  });
});

describe('the real contracts', () => {
  const real = compileRoutingTable();
  /** A public path with its parameters filled in with values no literal segment has. */
  const filled = (path: string) => path.replace(/:(\w+)/g, (_text, name: string) => `v-${name}`);

  test.each(
    UPSTREAMS.flatMap((upstream) =>
      Object.values(SERVICE_ROUTES[upstream] as Record<string, Route>).map(
        (contract) => [upstream, contract.method, contract.path, contract] as const,
      ),
    ),
  )('%s %s %s: its public path goes back to it', (upstream, method, path, contract) => {
    expect(real.lookup(method, filled(publicPathOf(upstream, path)))).toEqual({
      kind: 'upstream',
      upstream,
      route: contract,
      path: filled(path),
    });
  });

  // What the table is for, in the real contracts' terms.
  test.each([
    ['GET', '/api/projects/p1/approvals', 'hitl', '/projects/p1/approvals'],
    ['GET', '/api/projects/p1/audit', 'hitl', '/projects/p1/audit'],
    ['PUT', '/api/projects/p1/gate-overrides', 'hitl', '/projects/p1/gate-overrides'],
    ['GET', '/api/projects/p1/why', 'pipeline', '/projects/p1/why'],
    ['GET', '/api/projects/p%2F1/artifacts/f1', 'pipeline', '/projects/p%2F1/artifacts/f1'],
    ['GET', '/api/jobs/stats', 'job-runner', '/jobs/stats'],
    ['POST', '/api/jobs/j1/retry', 'job-runner', '/jobs/j1/retry'],
    // The old system's blueprint routes keep their paths, /api included.
    [
      'POST',
      '/api/templates/t1/blueprint/generate',
      'template-blueprint',
      '/api/templates/t1/blueprint/generate',
    ],
    [
      'POST',
      '/api/templates/t1/generate-blueprint',
      'template-blueprint',
      '/api/templates/t1/generate-blueprint',
    ],
    ['GET', '/api/blueprint-runs/r1', 'template-blueprint', '/api/blueprint-runs/r1'],
    ['GET', '/api/dead-letters/template-blueprint', 'template-blueprint', '/dead-letters'],
  ] as const)('%s %s → %s %s', (method, pathname, upstream, path) => {
    expect(real.lookup(method, pathname)).toMatchObject({ kind: 'upstream', upstream, path });
  });

  test('a path the contracts have with a method they have not is refused with the methods it has', () => {
    expect(real.lookup('DELETE', '/api/jobs/stats')).toEqual({
      kind: 'method_not_allowed',
      allow: ['GET', 'HEAD'],
    });
    expect(real.lookup('GET', '/api/projects/p1/sale')).toMatchObject({ kind: 'method_not_allowed' });
  });

  test.each(Object.values(gatewayRoutes).map((contract) => [contract.method, contract.path] as const))(
    '%s %s is the gateway’s own',
    (method, path) => {
      expect(real.lookup(method, filled(path))).toMatchObject({ kind: 'gateway', route: { method, path } });
    },
  );
});
