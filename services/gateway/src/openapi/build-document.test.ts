import {
  apiKeySchema,
  deadLetterReplayBody,
  deadLetterRoutes,
  defineRoute,
  gatewayRoutes,
  isJsonResponse,
  json,
  jsonBody,
  loginBody,
  multipartBody,
  noContent,
  publicPathOf,
  type Route,
  type RouteContract,
  SERVICE_ROUTES,
  UPSTREAMS,
  updateUserBody,
} from '@delivery/contracts/routes';
import { z } from 'zod';
import type { ServiceRoutes } from '../proxy/upstream-routes.js';
import { buildOpenApiDocument, type OpenApiDocument, type OperationObject } from './build-document.js';
import { openApiPathOf } from './openapi-paths.js';
import { JSON_SCHEMA_DIALECT, type JsonSchema, outputJsonSchema } from './schema-objects.js';

const zodInput = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const route = (method: Route['method'], path: string, extra: Partial<RouteContract> = {}): Route =>
  defineRoute({ method, path, summary: `${method} ${path}`, responses: { 200: 'x' }, ...extra });

const jobSchema = z.object({
  id: z.string(),
  state: z.enum(['QUEUED', 'CANCELED']),
  runAt: z.iso.datetime(),
});
const createProjectBody = z.strictObject({ name: z.string().min(1), client: z.string().optional() });
const approveBody = z.object({ comment: z.string().max(2000).optional() });

/** Services shaped as the real ones are; the real contracts are checked at the end. */
const services: ServiceRoutes = {
  pipeline: {
    listProjects: route('GET', '/projects', {
      query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    }),
    createProject: route('POST', '/projects', {
      roles: ['admin', 'delivery_manager'],
      body: jsonBody(createProjectBody),
      responses: { 201: json('the project', z.object({ id: z.string() })), 409: 'the name is taken' },
    }),
    upload: route('POST', '/projects/:id/artifacts', {
      relation: 'the project’s delivery manager, or an assignee',
      body: multipartBody('file', ['name']),
      responses: { 201: json('the artifact', z.object({ fileId: z.string() })) },
    }),
    download: route('GET', '/projects/:id/artifacts/:fileId', {
      responses: {
        200: { description: 'the file', contentType: 'application/octet-stream' },
        404: 'no such file',
      },
    }),
    ...deadLetterRoutes,
  },
  hitl: {
    approve: route('POST', '/approvals/:id/approve', {
      body: jsonBody(approveBody, { optional: true }),
      responses: { 204: noContent('approved') },
    }),
    ...deadLetterRoutes,
  },
  'job-runner': {
    stats: route('GET', '/jobs/stats', {
      responses: { 200: json('counts', z.record(z.string(), z.number())) },
    }),
    getJob: route('GET', '/jobs/:id', {
      params: z.object({ id: z.uuid() }),
      responses: { 200: json('the job', jobSchema), 404: 'no such job' },
    }),
    cancel: route('POST', '/jobs/:id/cancel', {
      roles: ['admin', 'operator', 'service'],
      params: z.object({ id: z.uuid() }),
      responses: {
        200: json('canceled', jobSchema),
        202: json('cancel requested', jobSchema),
        404: 'no such job',
        409: 'the job has ended',
      },
    }),
    ...deadLetterRoutes,
  },
  'template-blueprint': {
    listTemplates: route('GET', '/api/templates', {
      responses: { 200: json('templates', z.object({ items: z.array(z.object({ id: z.string() })) })) },
    }),
    ...deadLetterRoutes,
  },
};

const document = buildOpenApiDocument({ services });

function operation(method: string, path: string, of: OpenApiDocument = document): OperationObject {
  const found = of.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`the document has no ${method} ${path}`);
  return found;
}

/** The schema a `$ref` to a component names. */
function component(reference: JsonSchema | undefined, of: OpenApiDocument = document): JsonSchema {
  const name = String(reference?.$ref).replace('#/components/schemas/', '');
  const found = of.components.schemas[name];
  if (!found) throw new Error(`no component ${String(reference?.$ref)}`);
  return found;
}

const jsonAnswer = (method: string, path: string, status: number, of: OpenApiDocument = document) =>
  operation(method, path, of).responses[status]?.content?.['application/json']?.schema;

/** Every contract with its place in the document: its tag and public path. */
const contractsOf = (routes: ServiceRoutes) => [
  ...Object.values(gatewayRoutes).map((contract) => ({
    tag: 'gateway',
    contract: contract as RouteContract,
    path: openApiPathOf(contract.path),
  })),
  ...UPSTREAMS.flatMap((upstream) =>
    Object.values(routes[upstream]).map((contract) => ({
      tag: upstream as string,
      contract: contract as RouteContract,
      path: openApiPathOf(publicPathOf(upstream, contract.path)),
    })),
  ),
];
const contracts = contractsOf(services);
const documented = (of: OpenApiDocument) =>
  Object.entries(of.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );

test('every contract is in the document, at its public path and method, and nothing else is', () => {
  expect(documented(document).sort()).toEqual(
    contracts.map(({ contract, path }) => `${contract.method} ${path}`).sort(),
  );
  expect(operation('GET', '/api/templates').tags).toEqual(['template-blueprint']);
  expect(operation('POST', '/api/dead-letters/job-runner/{queue}/replay').tags).toEqual(['job-runner']);
});

test.each(contracts.map(({ tag, contract, path }) => [tag, contract.method, path, contract] as const))(
  '%s %s %s: summary, tag, path and query parameters are the contract’s',
  (tag, method, path, contract) => {
    const found = operation(method, path);
    expect(found).toMatchObject({ summary: contract.summary, tags: [tag] });
    const named = (where: string) =>
      (found.parameters ?? []).filter((parameter) => parameter.in === where).map(({ name }) => name);
    expect(named('path')).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]));
    expect(named('query')).toEqual(Object.keys(contract.query?.shape ?? {}));
  },
);

test.each([
  ['POST', '/api/projects', createProjectBody, true],
  ['POST', '/api/approvals/{id}/approve', approveBody, false],
  ['POST', '/api/dead-letters/hitl/{queue}/replay', deadLetterReplayBody, true],
  ['POST', '/api/auth/login', loginBody, true],
  ['PATCH', '/api/users/{id}', updateUserBody, true],
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

test('every JSON answer of every contract is its schema’s output JSON Schema, as a component', () => {
  for (const { contract, path } of contracts) {
    for (const [status, response] of Object.entries(contract.responses)) {
      if (!isJsonResponse(response)) continue;
      const reference = jsonAnswer(contract.method, path, Number(status));
      expect({ at: `${contract.method} ${path} ${status}`, schema: component(reference) }).toEqual({
        at: `${contract.method} ${path} ${status}`,
        schema: outputJsonSchema(response.schema),
      });
    }
  }
});

test('answers are described as sent: dates as date-time strings, and objects open to new fields', () => {
  const job = component(jsonAnswer('GET', '/api/jobs/{id}', 200));
  expect(job).toMatchObject({
    type: 'object',
    required: ['id', 'state', 'runAt'],
    properties: { state: { enum: ['QUEUED', 'CANCELED'] }, runAt: { type: 'string', format: 'date-time' } },
  });
  // z.object lets an answer grow fields: a client must not refuse them.
  expect(job).not.toHaveProperty('additionalProperties');
  const strict = outputJsonSchema(z.strictObject({ a: z.string() }));
  expect(strict.additionalProperties).toBe(false);
});

test('an answer schema that routes share is one component', () => {
  expect(jsonAnswer('GET', '/api/jobs/{id}', 200)).toEqual(jsonAnswer('POST', '/api/jobs/{id}/cancel', 202));
  expect(jsonAnswer('DELETE', '/api/keys/{id}', 200)).toEqual(
    jsonAnswer('DELETE', '/api/users/{id}/keys/{keyId}', 200),
  );
  expect(component(jsonAnswer('DELETE', '/api/keys/{id}', 200))).toEqual(outputJsonSchema(apiKeySchema));
  expect(jsonAnswer('GET', '/api/dead-letters/pipeline', 200)).toEqual(
    jsonAnswer('GET', '/api/dead-letters/hitl', 200),
  );
});

test('answers that are not JSON say their media type; 204 has no content', () => {
  expect(operation('GET', '/api/events').responses[200]).toEqual({
    description: 'the event stream',
    content: { 'text/event-stream': {} },
  });
  expect(operation('GET', '/api/docs').responses[200]?.content).toEqual({ 'text/html': {} });
  expect(operation('GET', '/api/projects/{id}/artifacts/{fileId}').responses[200]?.content).toEqual({
    'application/octet-stream': {},
  });
  expect(operation('POST', '/api/approvals/{id}/approve').responses[204]).toEqual({
    description: 'approved',
  });
  expect(operation('POST', '/api/auth/logout').responses[204]).toEqual({ description: 'signed out' });
});

test('who may call a route: its roles and its relation, in words and as extensions', () => {
  const create = operation('POST', '/api/projects');
  expect(create['x-roles']).toEqual(['admin', 'delivery_manager']);
  expect(create.description).toContain('**Roles**: admin, delivery_manager.');
  const upload = operation('POST', '/api/projects/{id}/artifacts');
  expect(upload['x-relation']).toBe('the project’s delivery manager, or an assignee');
  expect(upload.description).toBe('**Relation**: the project’s delivery manager, or an assignee.');
  expect(upload).not.toHaveProperty('x-roles');
  const users = operation('GET', '/api/users');
  expect(users['x-roles']).toEqual(['admin']);
  const events = operation('GET', '/api/events');
  expect(events.description).toBe(gatewayRoutes.events.description);
  expect(events).not.toHaveProperty('x-roles');
  expect(events).not.toHaveProperty('x-relation');
});

test('uploads are multipart/form-data: the text fields, then the file as binary', () => {
  const schema = operation('POST', '/api/projects/{id}/artifacts').requestBody?.content['multipart/form-data']
    ?.schema as { properties: Record<string, unknown>; required: string[] };
  expect(Object.keys(schema.properties)).toEqual(['name', 'file']);
  expect(schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
  expect(schema.required).toEqual(['file']);
});

test('query and path parameters carry their schemas, required only where the route needs them', () => {
  expect(operation('GET', '/api/projects').parameters).toEqual([
    {
      name: 'limit',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    },
  ]);
  expect(operation('GET', '/api/projects/{id}/artifacts/{fileId}').parameters).toEqual([
    { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    { name: 'fileId', in: 'path', required: true, schema: { type: 'string' } },
  ]);
  expect(operation('GET', '/api/jobs/{id}').parameters).toEqual([
    { name: 'id', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) },
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
  expect(operation('GET', '/api/openapi.json').security).toEqual([]);
});

test('the refusals a route shares follow from what it reads and who may call it', () => {
  const cancel = operation('POST', '/api/jobs/{id}/cancel').responses;
  expect(Object.keys(cancel)).toEqual(['200', '202', '400', '401', '403', '404', '409']);
  expect(cancel['403']?.description).toBe('Needs one of the roles admin, operator, service');
  expect(cancel['404']).toEqual({
    description: 'no such job',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  expect(Object.keys(operation('GET', '/api/jobs/stats').responses)).toEqual(['200', '401']);
  expect(Object.keys(operation('POST', '/api/auth/login').responses)).toEqual(['200', '400', '401', '429']);
  expect(operation('GET', '/api/users').responses['400']?.content).toEqual({
    'application/json': { schema: { $ref: '#/components/schemas/ValidationFailed' } },
  });
});

/** Every `$ref` in `value`. */
const referencesIn = (value: unknown): string[] =>
  [...JSON.stringify(value).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1] as string);

test('every reference in the document names one of its components', () => {
  const names = Object.keys(document.components.schemas).map((name) => `#/components/schemas/${name}`);
  expect(referencesIn(document).filter((reference) => !names.includes(reference))).toEqual([]);
});

describe('the real contracts', () => {
  const real = buildOpenApiDocument();
  const realContracts = contractsOf(SERVICE_ROUTES);

  test('every one is in the document, and nothing else is', () => {
    expect(documented(real).sort()).toEqual(
      realContracts.map(({ contract, path }) => `${contract.method} ${path}`).sort(),
    );
  });

  test('each JSON request body is the JSON Schema of what the route parses', () => {
    for (const { contract, path } of realContracts) {
      if (contract.body?.kind !== 'json') continue;
      const { $schema, ...expected } = zodInput(contract.body.schema);
      expect({
        at: `${contract.method} ${path}`,
        body: operation(contract.method, path, real).requestBody,
      }).toEqual({
        at: `${contract.method} ${path}`,
        body: { required: !contract.body.optional, content: { 'application/json': { schema: expected } } },
      });
    }
  });

  test('each JSON answer is its schema, and every reference resolves', () => {
    for (const { contract, path } of realContracts) {
      for (const [status, response] of Object.entries(contract.responses)) {
        if (!isJsonResponse(response)) continue;
        expect(component(jsonAnswer(contract.method, path, Number(status), real), real)).toEqual(
          outputJsonSchema(response.schema),
        );
      }
    }
    const names = Object.keys(real.components.schemas).map((name) => `#/components/schemas/${name}`);
    expect(referencesIn(real).filter((reference) => !names.includes(reference))).toEqual([]);
  });
});

describe('a contract the document cannot describe truthfully is refused', () => {
  const withRoute = (extra: Route): ServiceRoutes => ({
    ...services,
    'job-runner': { ...services['job-runner'], extra },
  });

  test('the same route twice', () => {
    expect(() => buildOpenApiDocument({ services: withRoute(route('GET', '/jobs/stats')) })).toThrow(
      'GET /api/jobs/stats is described twice',
    );
  });

  test('a params schema naming a parameter the path has not', () => {
    const params = z.object({ id: z.uuid(), other: z.string() });
    expect(() =>
      buildOpenApiDocument({ services: withRoute(route('GET', '/jobs/:id/x', { params })) }),
    ).toThrow('its params schema names other, which the path has not');
  });

  test('a request schema whose JSON Schema has references', () => {
    const tree: z.ZodType = z.object({ children: z.array(z.lazy(() => tree)) });
    expect(() =>
      buildOpenApiDocument({ services: withRoute(route('POST', '/jobs/tree', { body: jsonBody(tree) })) }),
    ).toThrow('cannot be embedded as it is');
  });
});

test('a recursive answer schema becomes components that refer to each other', () => {
  const tree: z.ZodType = z.object({ name: z.string(), children: z.array(z.lazy(() => tree)) });
  const withTrees = {
    ...services,
    'job-runner': {
      ...services['job-runner'],
      tree: route('GET', '/jobs/tree', { responses: { 200: json('a tree', tree) } }),
      forest: route('GET', '/jobs/forest', {
        responses: { 200: json('trees', z.object({ trees: z.array(tree) })) },
      }),
    },
  };
  const withRecursion = buildOpenApiDocument({ services: withTrees });
  const names = Object.keys(withRecursion.components.schemas).map((name) => `#/components/schemas/${name}`);
  expect(referencesIn(withRecursion).filter((reference) => !names.includes(reference))).toEqual([]);
  const root = jsonAnswer('GET', '/api/jobs/tree', 200, withRecursion);
  expect(component(root, withRecursion)).toMatchObject({
    properties: { children: { items: root } },
  });
});

test('a part registered under an id is one component, wherever answers use it', () => {
  const part = z.object({ a: z.string() }).meta({ id: 'RegisteredPart' });
  const withParts = {
    ...services,
    'job-runner': {
      ...services['job-runner'],
      one: route('GET', '/jobs/one', { responses: { 200: json('one', z.object({ part })) } }),
      both: route('GET', '/jobs/both', { responses: { 200: json('both', z.object({ x: part, y: part })) } }),
    },
  };
  const withShared = buildOpenApiDocument({ services: withParts });
  expect(withShared.components.schemas.RegisteredPart).toEqual({
    type: 'object',
    properties: { a: { type: 'string' } },
    required: ['a'],
  });
  expect(component(jsonAnswer('GET', '/api/jobs/both', 200, withShared), withShared)).toMatchObject({
    properties: {
      x: { $ref: '#/components/schemas/RegisteredPart' },
      y: { $ref: '#/components/schemas/RegisteredPart' },
    },
  });
});
