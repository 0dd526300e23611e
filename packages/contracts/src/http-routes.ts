import type { z } from 'zod';

/**
 * What one HTTP route of a service accepts, described with the very zod schemas the route parses
 * with: the API document is generated from these, and each service's fuzz test derives its route
 * list from them and compares it with the routes the app really serves.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A JSON body, parsed with `schema`. */
export interface JsonBody {
  readonly kind: 'json';
  readonly schema: z.ZodType;
  /** The route reads a missing body as `{}` (`schema.parse(req.body ?? {})`). */
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

export interface RouteSpec {
  readonly method: HttpMethod;
  /** As the router declares it, express style: `/projects/:id/artifacts/:fileId`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** Roles of which the caller needs one; absent: any verified caller. For the docs only. */
  readonly roles?: readonly string[];
  /** Needs no identity at all (a login, the API document itself). */
  readonly public?: boolean;
  /** Path parameters, when the route parses them; otherwise each is documented as a string. */
  readonly params?: z.ZodObject;
  /** The query string, when the route reads one. */
  readonly query?: z.ZodObject;
  /** Absent: the route reads no body. */
  readonly body?: JsonBody | MultipartBody;
  /**
   * What the route answers on its own, by status (the common refusals — bad input, no identity,
   * wrong role — are added by the document). Response bodies are described in words.
   */
  readonly responses: Readonly<Record<number, string>>;
}

export const jsonBody = (schema: z.ZodType, { optional = false }: { optional?: boolean } = {}): JsonBody => ({
  kind: 'json',
  schema,
  optional,
});

export const multipartBody = (filePart: string, fields: readonly string[] = []): MultipartBody => ({
  kind: 'multipart',
  filePart,
  fields,
});

/** `METHOD /path`, as route lists and fuzz tests name a route. */
export const routeSpecKey = (route: Pick<RouteSpec, 'method' | 'path'>) => `${route.method} ${route.path}`;
