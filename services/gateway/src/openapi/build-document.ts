import { type RouteSpec, routeSpecKey } from '@delivery/contracts';
import { CSRF_HEADER, SESSION_COOKIE } from '../http/gateway-auth.js';
import { UPSTREAMS, type Upstream } from '../proxy/upstream-routes.js';
import { gatewayPathOf, openApiPathOf } from './gateway-paths.js';
import {
  type JsonSchema,
  type ParameterObject,
  parametersOf,
  type RequestBodyObject,
  requestBodyOf,
} from './schema-objects.js';
import { SERVICE_CATALOGS, type ServiceCatalogs } from './service-catalogs.js';

interface ResponseObject {
  description: string;
  content?: Record<string, { schema: JsonSchema }>;
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
  /** The gateway's own routes, at the paths the gateway serves them (`/api/auth/login`). */
  gatewayRoutes?: readonly RouteSpec[];
  /** The services' routes at their own paths; default: the four services' catalogs. */
  serviceCatalogs?: ServiceCatalogs;
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
function commonResponses(route: RouteSpec): Record<string, ResponseObject> {
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

function responsesOf(route: RouteSpec): Record<string, ResponseObject> {
  // TODO(issue 18): the gateway's document from the contracts, response schemas included.
  const own = Object.entries(route.responses).map(([status, response]): [string, ResponseObject] => {
    const description = typeof response === 'string' ? response : response.description;
    return [status, Number(status) >= 400 ? { description, content: errorBody('Error') } : { description }];
  });
  return { ...commonResponses(route), ...Object.fromEntries(own) };
}

const operationIdOf = (method: string, path: string) =>
  [method.toLowerCase(), ...path.split('/').filter(Boolean)]
    .join('-')
    .replace(/[{}:]/g, '')
    .replace(/[^\w-]/g, '_');

function operationOf(route: RouteSpec, tag: string, gatewayPath: string): OperationObject {
  const parameters = parametersOf(route);
  const requestBody = requestBodyOf(route);
  const description = [route.description, route.roles && `Roles: ${route.roles.join(', ')}.`]
    .filter(Boolean)
    .join('\n\n');
  return {
    operationId: operationIdOf(route.method, gatewayPath),
    summary: route.summary,
    ...(description && { description }),
    tags: [tag],
    ...(parameters.length > 0 && { parameters }),
    ...(requestBody && { requestBody }),
    responses: responsesOf(route),
    security: route.public ? [] : route.method === 'GET' ? READ_SECURITY : WRITE_SECURITY,
  };
}

/**
 * The OpenAPI 3.1 document of the gateway's API: every route of every service at the path the
 * gateway serves it, with the request schemas the service parses with, plus the gateway's own.
 */
export function buildOpenApiDocument({
  gatewayRoutes = [],
  serviceCatalogs = SERVICE_CATALOGS,
  version = '1',
}: OpenApiOptions = {}): OpenApiDocument {
  const routes = [
    ...gatewayRoutes.map((route) => ({ route, tag: 'gateway', path: route.path })),
    ...UPSTREAMS.flatMap((upstream) =>
      serviceCatalogs[upstream].map((route) => ({
        route,
        tag: upstream,
        path: `/api${gatewayPathOf(upstream, route.path)}`,
      })),
    ),
  ];
  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();
  for (const { route, tag, path } of routes) {
    const operations = paths[openApiPathOf(path)] ?? {};
    paths[openApiPathOf(path)] = operations;
    const method = route.method.toLowerCase();
    if (operations[method]) throw new Error(`${routeSpecKey({ ...route, path })} is described twice`);
    const operation = operationOf(route, tag, path);
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
        'Request schemas are generated from the schemas the services validate with.',
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: { schemas: ERROR_SCHEMAS, securitySchemes: SECURITY_SCHEMES },
  };
}
