import {
  isJsonResponse,
  gatewayRoutes as ownRoutes,
  publicPathOf,
  type RouteContract,
  type RouteResponse,
  routeKey,
  SERVICE_ROUTES,
  UPSTREAMS,
  type Upstream,
} from '@delivery/contracts/routes';
import { CSRF_HEADER, SESSION_COOKIE } from '../http/gateway-auth.js';
import type { ServiceRoutes } from '../proxy/upstream-routes.js';
import { openApiPathOf } from './openapi-paths.js';
import {
  type JsonSchema,
  type ParameterObject,
  parametersOf,
  type RequestBodyObject,
  requestBodyOf,
  SchemaComponents,
} from './schema-objects.js';

interface ResponseObject {
  description: string;
  content?: Record<string, { schema?: JsonSchema }>;
}

type SecurityRequirement = Record<string, string[]>;

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  security: SecurityRequirement[];
  /** The roles of which the caller needs one (enforced before the route runs); absent: any caller. */
  'x-roles'?: string[];
  /** How the caller must relate to the resource on top of the roles (checked with the data). */
  'x-relation'?: string;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OperationObject>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

export interface OpenApiOptions {
  /** Each service's routes at its own paths; default: the contracts' SERVICE_ROUTES. */
  services?: ServiceRoutes;
  /** The gateway's own routes, at the paths it serves them; default: the contracts' gatewayRoutes. */
  gateway?: Readonly<Record<string, RouteContract>>;
  /** The API's version, as the document names it. */
  version?: string;
}

const TAGS: Record<Upstream | 'gateway', string> = {
  gateway: 'Signing in, sessions, API keys, users, the access audit',
  pipeline: 'Projects: their stages, onboarding, assignment, artifacts, and why they are where they are',
  hitl: 'Approval gates: the approvals inbox, decisions, gate configuration, project audit trails',
  'job-runner': 'The job queue: enqueue, inspect, cancel, retry, resume',
  'template-blueprint': 'Templates, their versions, and the blueprints generated from them',
};

const SECURITY_SCHEMES = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The session cookie a browser gets by signing in (`POST /api/auth/login`).',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: CSRF_HEADER,
    description:
      "With the session cookie, every state-changing request carries the session's CSRF token " +
      '(given by `POST /api/auth/login` and `GET /api/auth/session`).',
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`Authorization: Bearer dk_…`) for scripts; no CSRF token needed.',
  },
};

const READ_SECURITY: SecurityRequirement[] = [{ session: [] }, { apiKey: [] }];
const WRITE_SECURITY: SecurityRequirement[] = [{ session: [], csrf: [] }, { apiKey: [] }];

const ERROR_SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: { type: 'string', description: 'A code that says what went wrong' },
      message: { type: 'string' },
      details: { type: 'object' },
    },
  },
  ValidationFailed: {
    type: 'object',
    required: ['error', 'issues'],
    properties: {
      error: { const: 'validation_failed' },
      issues: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path', 'message'],
          properties: {
            path: { type: 'string', description: 'The field, dotted (`assignees.0.name`)' },
            message: { type: 'string' },
          },
        },
      },
    },
  },
};

const errorBody = (name: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${name}` } },
});

/** The refusals every route shares, by what it reads and who may call it. */
function commonResponses(route: RouteContract): Record<string, ResponseObject> {
  const responses: Record<string, ResponseObject> = {};
  if (route.params || route.query || route.body?.kind === 'json') {
    responses[400] = {
      description: 'Bad input: `issues` names each field path',
      content: errorBody('ValidationFailed'),
    };
  }
  if (!route.public) {
    responses[401] = { description: 'No identity, or one that is not valid', content: errorBody('Error') };
  }
  if (route.roles) {
    responses[403] = {
      description: `Needs one of the roles ${route.roles.join(', ')}`,
      content: errorBody('Error'),
    };
  }
  return responses;
}

/** One answer of the contract: its JSON schema as a component, a media type, or the error body. */
function responseOf(
  response: RouteResponse,
  componentName: string,
  components: SchemaComponents,
): ResponseObject {
  if (typeof response === 'string') return { description: response, content: errorBody('Error') };
  if (isJsonResponse(response)) {
    const schema = components.refTo(response.schema, componentName);
    return { description: response.description, content: { 'application/json': { schema } } };
  }
  return response.contentType === null
    ? { description: response.description }
    : { description: response.description, content: { [response.contentType]: {} } };
}

function responsesOf(
  route: RouteContract,
  operationId: string,
  components: SchemaComponents,
): Record<string, ResponseObject> {
  const own = Object.entries(route.responses).map(([status, response]): [string, ResponseObject] => [
    status,
    responseOf(response, `${operationId}-${status}`, components),
  ]);
  // The route's own say more than the common ones, and win (statuses list in order by themselves).
  return { ...commonResponses(route), ...Object.fromEntries(own) };
}

const operationIdOf = (method: string, path: string) =>
  [method.toLowerCase(), ...path.split('/').filter(Boolean)]
    .join('-')
    .replace(/[{}:]/g, '')
    .replace(/[^\w-]/g, '_');

/** Who may call it, for people reading the document; the `x-` fields say it for tools. */
function accessOf(route: RouteContract): string | undefined {
  const lines = [
    route.roles && `**Roles**: ${route.roles.join(', ')}.`,
    route.relation && `**Relation**: ${route.relation}.`,
  ].filter(Boolean);
  return lines.length > 0 ? lines.join(' ') : undefined;
}

function operationOf(
  route: RouteContract,
  tag: string,
  publicPath: string,
  components: SchemaComponents,
): OperationObject {
  const parameters = parametersOf(route);
  const requestBody = requestBodyOf(route);
  const operationId = operationIdOf(route.method, publicPath);
  const description = [route.description, accessOf(route)].filter(Boolean).join('\n\n');
  return {
    operationId,
    summary: route.summary,
    ...(description && { description }),
    tags: [tag],
    ...(parameters.length > 0 && { parameters }),
    ...(requestBody && { requestBody }),
    responses: responsesOf(route, operationId, components),
    security: route.public ? [] : route.method === 'GET' ? READ_SECURITY : WRITE_SECURITY,
    ...(route.roles && { 'x-roles': [...route.roles] }),
    ...(route.relation && { 'x-relation': route.relation }),
  };
}

/**
 * The OpenAPI 3.1 document of the gateway's API, from the route contracts alone: every route of
 * every service at the path the gateway serves it (`publicPathOf`), and the gateway's own; with
 * the schemas requests are parsed with and answers are checked against, who may call each, and
 * the refusals every route shares.
 */
export function buildOpenApiDocument({
  services = SERVICE_ROUTES,
  gateway = ownRoutes,
  version = '1',
}: OpenApiOptions = {}): OpenApiDocument {
  const routes = [
    ...Object.values(gateway).map((route) => ({ route, tag: 'gateway', path: route.path })),
    ...UPSTREAMS.flatMap((upstream) =>
      Object.values(services[upstream]).map((route) => ({
        route,
        tag: upstream,
        path: publicPathOf(upstream, route.path),
      })),
    ),
  ];
  const components = new SchemaComponents(ERROR_SCHEMAS);
  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();
  for (const { route, tag, path } of routes) {
    const operations = paths[openApiPathOf(path)] ?? {};
    paths[openApiPathOf(path)] = operations;
    const method = route.method.toLowerCase();
    if (operations[method]) throw new Error(`${routeKey({ ...route, path })} is described twice`);
    const operation = operationOf(route, tag, path, components);
    if (operationIds.has(operation.operationId))
      throw new Error(`operationId ${operation.operationId} twice`);
    operationIds.add(operation.operationId);
    operations[method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Delivery pipeline API',
      version,
      description:
        'The one public API. Sign in for a session cookie (browsers) or use an API key (scripts). ' +
        'Generated from the route contracts: the schemas requests are parsed with and answers are checked against.',
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: { schemas: components.schemas, securitySchemes: SECURITY_SCHEMES },
  };
}
