import { z } from 'zod';
import type { Role } from '../identity.js';

/**
 * One HTTP route of a service, as messages have `defineEvent`: method, path, who may call it, the
 * zod schemas its input is parsed with and its answers are checked against, and what it can
 * answer. The service serves it with service-kit's `serveRoute` (which parses the input and
 * enforces the roles from here), the gateway routes to it and documents it from here, and the web
 * app's client takes its types from it. Nothing else declares a route.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A JSON body, parsed with `schema`. */
export interface JsonBody<S extends z.ZodType = z.ZodType> {
  readonly kind: 'json';
  readonly schema: S;
  /** The route reads a missing body as `{}`. */
  readonly optional: boolean;
}

/** A multipart/form-data body carrying one file, streamed by the route itself. */
export interface MultipartBody {
  readonly kind: 'multipart';
  /** The part that carries the file. */
  readonly filePart: string;
  /** Text fields the form may carry before the file. */
  readonly fields: readonly string[];
}

/** A JSON answer, checked against `schema` while the tests run (`CHECK_RESPONSES=1`). */
export interface JsonResponse<S extends z.ZodType = z.ZodType> {
  readonly description: string;
  readonly schema: S;
}

/** An answer that is not JSON: a file's bytes, an event stream, a page, or no body at all. */
export interface OtherResponse {
  readonly description: string;
  readonly contentType: string | null;
}

/**
 * What a route can answer, by status. A string is a refusal (the usual error body, the string
 * saying when); the refusals every route shares (400 bad input, 401 no identity, 403 a role it
 * lacks) are added by the document.
 */
export type RouteResponse = JsonResponse | OtherResponse | string;

export interface RouteContract {
  readonly method: HttpMethod;
  /** Express style, as the service serves it: `/projects/:id/artifacts/:fileId`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** Needs no identity at all (a sign-in, the API document itself). */
  readonly public?: boolean;
  /** Roles of which the caller needs one, enforced before the handler runs; absent: any caller. */
  readonly roles?: readonly Role[];
  /**
   * How the caller must relate to the resource on top of the roles (the project's manager, an
   * assignee): the handler checks it with the data, and the document says it.
   */
  readonly relation?: string;
  /** Path parameters; absent: each is a string. */
  readonly params?: z.ZodObject;
  /** The query string, when the route reads one. */
  readonly query?: z.ZodObject;
  /** Absent: the route reads no body. */
  readonly body?: JsonBody | MultipartBody;
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

/** A route contract with its `METHOD /path` key. */
export type Route<R extends RouteContract = RouteContract> = R & {
  readonly key: `${R['method']} ${R['path']}`;
};

export function defineRoute<const R extends RouteContract>(route: R): Route<R> {
  return { ...route, key: `${route.method} ${route.path}` as Route<R>['key'] };
}

export const jsonBody = <S extends z.ZodType>(
  schema: S,
  { optional = false }: { optional?: boolean } = {},
): JsonBody<S> => ({ kind: 'json', schema, optional });

export const multipartBody = (filePart: string, fields: readonly string[] = []): MultipartBody => ({
  kind: 'multipart',
  filePart,
  fields,
});

export const json = <S extends z.ZodType>(description: string, schema: S): JsonResponse<S> => ({
  description,
  schema,
});

export const noContent = (description: string): OtherResponse => ({ description, contentType: null });

export const isJsonResponse = (response: RouteResponse | undefined): response is JsonResponse =>
  typeof response === 'object' && 'schema' in response;

const SUCCESS = /^2\d\d$/;

/**
 * What a caller parses a route's successful answer with: its 2xx JSON schemas (one, or a union).
 * Undefined when no success of the route is JSON.
 */
export function successSchemaOf(route: RouteContract): z.ZodType | undefined {
  const schemas = Object.entries(route.responses).flatMap(([status, response]) =>
    SUCCESS.test(status) && isJsonResponse(response) ? [response.schema] : [],
  );
  if (schemas.length <= 1) return schemas[0];
  return z.union(schemas as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/** `METHOD /path`, as route lists and fuzz tests name a route. */
export const routeKey = (route: Pick<RouteContract, 'method' | 'path'>) => `${route.method} ${route.path}`;

// ── Types a client derives from a contract ──────────────────────────────────────────────────

type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The path parameters a caller fills in. */
export type ParamsOf<R extends RouteContract> = R['params'] extends z.ZodObject
  ? z.input<R['params']>
  : Record<PathParamNames<R['path']>, string>;

export type QueryOf<R extends RouteContract> = R['query'] extends z.ZodObject ? z.input<R['query']> : never;

export type BodyOf<R extends RouteContract> = R['body'] extends JsonBody<infer S> ? z.input<S> : never;

/** The JSON a route answers with when it succeeds (any of its 2xx answers). */
export type ResponseOf<R extends RouteContract> = {
  [S in keyof R['responses']]: S extends 200 | 201 | 202
    ? R['responses'][S] extends JsonResponse<infer Schema>
      ? z.output<Schema>
      : never
    : never;
}[keyof R['responses']];

// TODO(issue 18): gone once every service declares its routes with defineRoute.
/** @deprecated the older catalogs' name for a route contract. */
export type RouteSpec = RouteContract;
/** @deprecated routeKey. */
export const routeSpecKey = routeKey;
