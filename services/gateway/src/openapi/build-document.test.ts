import {
  createTemplateSchema,
  enqueueJobSchema,
  jsonBody,
  type RouteSpec,
  updateTemplateSchema,
} from '@delivery/contracts';
import {
  approveBody,
  assignmentBody,
  createProjectBody,
  gateOverridesBody,
  generateRequest,
  globalGateConfigBody,
  onboardingBody,
  resumeBody,
  resumeJobBody,
  sendBackBody,
} from '@delivery/contracts/routes';
import { deadLetterReplayBody } from '@delivery/service-kit';
import { z } from 'zod';
import { UPSTREAMS } from '../proxy/upstream-routes.js';
import { buildOpenApiDocument, type OperationObject } from './build-document.js';
import { gatewayPathOf, openApiPathOf } from './gateway-paths.js';
import { JSON_SCHEMA_DIALECT } from './schema-objects.js';
import { SERVICE_CATALOGS, type ServiceCatalogs } from './service-catalogs.js';

const zodInput = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const gatewayRoutes: RouteSpec[] = [
  {
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Signs in',
    public: true,
    body: jsonBody(z.strictObject({ email: z.email(), password: z.string().min(1) })),
    responses: { 200: 'the session' },
  },
  { method: 'GET', path: '/api/keys', summary: 'Your API keys', responses: { 200: 'the keys' } },
];

const document = buildOpenApiDocument({ gatewayRoutes });

function operation(method: string, path: string): OperationObject {
  const found = document.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`the document has no ${method} ${path}`);
  return found;
}

const catalogRoutes = UPSTREAMS.flatMap((upstream) =>
  SERVICE_CATALOGS[upstream].map((route) => ({
    upstream,
    route,
    path: openApiPathOf(`/api${gatewayPathOf(upstream, route.path)}`),
  })),
);

test('every catalog route is in the document, at its gateway path and method, and nothing else is', () => {
  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const expected = [
    ...catalogRoutes.map(({ route, path }) => `${route.method} ${path}`),
    'POST /api/auth/login',
    'GET /api/keys',
  ];
  expect(documented.sort()).toEqual(expected.sort());
});

test.each(catalogRoutes.map(({ upstream, route, path }) => [upstream, route.method, path, route] as const))(
  '%s %s %s: summary, tag, path parameters and query parameters are the catalog’s',
  (upstream, method, path, route) => {
    const found = operation(method, path);
    expect(found).toMatchObject({ summary: route.summary, tags: [upstream] });
    const named = (where: string) =>
      (found.parameters ?? []).filter((parameter) => parameter.in === where).map(({ name }) => name);
    expect(named('path')).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]));
    expect(named('query')).toEqual(Object.keys(route.query?.shape ?? {}));
  },
);

// Each compared with the schema imported from where the route gets it, not from the catalog.
test.each([
  ['POST', '/api/projects', createProjectBody, true],
  ['PUT', '/api/projects/{id}/onboarding', onboardingBody, true],
  ['PUT', '/api/projects/{id}/assignment', assignmentBody, true],
  ['POST', '/api/projects/{id}/resume', resumeBody, false],
  ['POST', '/api/approvals/{id}/approve', approveBody, false],
  ['POST', '/api/approvals/{id}/send-back', sendBackBody, true],
  ['PUT', '/api/gates/config', globalGateConfigBody, true],
  ['PUT', '/api/projects/{projectId}/gate-overrides', gateOverridesBody, true],
  ['POST', '/api/jobs', enqueueJobSchema, true],
  ['POST', '/api/jobs/{id}/resume', resumeJobBody, false],
  ['POST', '/api/templates', createTemplateSchema, true],
  ['PATCH', '/api/templates/{id}', updateTemplateSchema, true],
  ['POST', '/api/templates/{id}/blueprint/generate', generateRequest, false],
  ['POST', '/api/dead-letters/hitl/{queue}/replay', deadLetterReplayBody, true],
] as const)(
  '%s %s: the request body is the JSON Schema of what the route parses',
  (method, path, schema, required) => {
    const { $schema, ...expected } = zodInput(schema);
    expect(operation(method, path).requestBody).toEqual({
      required,
      content: { 'application/json': { schema: expected } },
    });
    expect($schema).toBe(JSON_SCHEMA_DIALECT);
  },
);

test('query parameters carry their schemas, required only where the route needs them', () => {
  expect(operation('GET', '/api/gates/resolve').parameters).toEqual([
    {
      name: 'projectId',
      in: 'query',
      required: true,
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    },
    { name: 'stage', in: 'query', required: true, schema: expect.objectContaining({ type: 'string' }) },
  ]);
  const limit = operation('GET', '/api/jobs').parameters?.find(({ name }) => name === 'limit');
  expect(limit).toEqual({
    name: 'limit',
    in: 'query',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  });
});

test('a path parameter the route does not parse is a plain string; one it parses has its schema', () => {
  expect(operation('GET', '/api/projects/{id}/artifacts/{fileId}').parameters).toEqual([
    { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    { name: 'fileId', in: 'path', required: true, schema: { type: 'string' } },
  ]);
  expect(operation('GET', '/api/jobs/{id}').parameters).toEqual([
    { name: 'id', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) },
  ]);
});

test('uploads are multipart/form-data: the text fields, then the file as binary', () => {
  const schema = operation('POST', '/api/projects/{id}/artifacts').requestBody?.content['multipart/form-data']
    ?.schema as { properties: Record<string, unknown>; required: string[] };
  expect(Object.keys(schema.properties)).toEqual(['name', 'file']);
  expect(schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
  expect(schema.required).toEqual(['file']);
  expect(operation('POST', '/api/projects/{id}/test-reports').requestBody?.content).toHaveProperty([
    'multipart/form-data',
  ]);
});

test('reads take a session or an API key; changes with a session also need the CSRF token', () => {
  const { securitySchemes } = document.components;
  expect(securitySchemes.session).toEqual(
    expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sid' }),
  );
  expect(securitySchemes.csrf).toEqual(
    expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-csrf-token' }),
  );
  expect(securitySchemes.apiKey).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  expect(operation('GET', '/api/projects').security).toEqual([{ session: [] }, { apiKey: [] }]);
  expect(operation('POST', '/api/jobs/{id}/cancel').security).toEqual([
    { session: [], csrf: [] },
    { apiKey: [] },
  ]);
  expect(operation('POST', '/api/auth/login').security).toEqual([]);
});

test('the refusals a route shares follow from what it reads and who may call it', () => {
  const cancel = operation('POST', '/api/jobs/{id}/cancel').responses;
  expect(Object.keys(cancel)).toEqual(['200', '202', '400', '401', '403', '404', '409']);
  expect(cancel['403']?.description).toBe('Needs one of the roles admin, operator, service');
  const stats = operation('GET', '/api/jobs/stats').responses;
  expect(Object.keys(stats)).toEqual(['200', '401']);
  expect(Object.keys(operation('POST', '/api/auth/login').responses)).toEqual(['200', '400']);
});

describe('a catalog the document cannot describe truthfully is refused', () => {
  const withRoute = (upstream: keyof ServiceCatalogs, route: RouteSpec): ServiceCatalogs => ({
    ...SERVICE_CATALOGS,
    [upstream]: [...SERVICE_CATALOGS[upstream], route],
  });
  const route = (path: string, extra: Partial<RouteSpec> = {}): RouteSpec => ({
    method: 'GET',
    path,
    summary: 'x',
    responses: { 200: 'x' },
    ...extra,
  });

  test('a route the gateway does not send to that service', () => {
    expect(() => buildOpenApiDocument({ serviceCatalogs: withRoute('hitl', route('/jobs/:id')) })).toThrow(
      'hitl /jobs/:id is not reachable through the gateway: /api/jobs/:id goes to job-runner /jobs/:id',
    );
  });

  test('the same route twice', () => {
    expect(() => buildOpenApiDocument({ gatewayRoutes: [route('/api/keys'), route('/api/keys')] })).toThrow(
      'GET /api/keys is described twice',
    );
  });

  test('a params schema naming a parameter the path has not', () => {
    const params = z.object({ id: z.uuid(), other: z.string() });
    expect(() =>
      buildOpenApiDocument({ serviceCatalogs: withRoute('job-runner', route('/jobs/:id/x', { params })) }),
    ).toThrow('its params schema names other, which the path has not');
  });

  test('a schema whose JSON Schema has references', () => {
    const tree: z.ZodType = z.object({ children: z.array(z.lazy(() => tree)) });
    expect(() =>
      buildOpenApiDocument({ gatewayRoutes: [route('/api/tree', { method: 'POST', body: jsonBody(tree) })] }),
    ).toThrow('cannot be embedded as it is');
  });
});
