/**
 * The one way the app talks to the gateway: `api('GET /api/projects/:id', { params: { id } })`,
 * typed by the route's contract (its path parameters, query, body and answer), over same-origin
 * fetch with the session cookie, the CSRF token on every state-changing request, and the API's
 * error bodies turned into ApiError (so a form can show each field's message beside the field).
 *
 * The route contracts are imported for their types only: they carry zod schemas, which stay out
 * of the bundle. At run time a call needs no more than its key, `METHOD /path`.
 */
import { fillPath } from '@delivery/contracts/public-paths';
import type {
  ApiContract,
  ApiKey,
  BodyOf,
  MultipartBody,
  ParamsOf,
  QueryOf,
  ResponseOf,
  RouteContract,
} from '@delivery/contracts/routes';

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The message for one field (`answers.domain`), if the API named it. */
  fieldMessage(path: string): string | undefined {
    return this.issues.find((issue) => issue.path === path)?.message;
  }
}

let csrfToken: string | undefined;
export const setCsrfToken = (token: string | undefined) => {
  csrfToken = token;
};

// ── Types a call takes from its route's contract ─────────────────────────────────────────────

/** The route of a public key: `ApiContract<'GET /api/projects/:id'>`. */
type RouteOf<K extends ApiKey> = ApiContract<K>;

/** What a call of route R takes: its path parameters, its query and its JSON body, each only if R has one. */
export type ApiInput<R extends RouteContract> = (keyof ParamsOf<R> extends never
  ? { params?: undefined }
  : { params: ParamsOf<R> }) &
  ([QueryOf<R>] extends [never] ? { query?: undefined } : { query?: QueryOf<R> }) &
  ([BodyOf<R>] extends [never]
    ? { body?: undefined }
    : R['body'] extends { optional: true }
      ? { body?: BodyOf<R> }
      : { body: BodyOf<R> });

/** The input may be left out when nothing in it is required. */
type InputArgs<R extends RouteContract> =
  object extends ApiInput<R> ? [input?: ApiInput<R>] : [input: ApiInput<R>];

/** What a successful call resolves to: the route's 2xx JSON, or undefined for its 204. */
export type ApiAnswer<R extends RouteContract> =
  | ResponseOf<R>
  | (204 extends keyof R['responses'] ? undefined : never);

/** The public API's answer to `K`: `ApiResponse<'GET /api/projects/:id'>` is a project. */
export type ApiResponse<K extends ApiKey> = ApiAnswer<RouteOf<K>>;

/** The path parameters, query and JSON body of `K`, for code that builds them apart from the call. */
export type ApiParams<K extends ApiKey> = ParamsOf<RouteOf<K>>;
export type ApiQuery<K extends ApiKey> = QueryOf<RouteOf<K>>;
export type ApiBody<K extends ApiKey> = BodyOf<RouteOf<K>>;

/** The routes that take a file (multipart): sent with `upload`, for its progress. */
export type UploadKey = {
  [K in ApiKey]: RouteOf<K> extends { readonly body: MultipartBody } ? K : never;
}[ApiKey];

// ── Run time ─────────────────────────────────────────────────────────────────────────────────

interface UntypedInput {
  params?: Readonly<Record<string, string | number>>;
  query?: Readonly<Record<string, unknown>>;
  body?: unknown;
}

const SAFE = new Set(['GET', 'HEAD']);

/** The query string of `query`: absent values left out, a list as the key repeated. */
function searchOf(query: Readonly<Record<string, unknown>> | undefined): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) search.append(name, String(item));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The method and URL of a call: `GET /api/jobs/:id` with `{ id: 'j 1' }` → `GET`, `/api/jobs/j%201`. */
export function requestOf(key: string, input: UntypedInput = {}): { method: string; url: string } {
  const space = key.indexOf(' ');
  if (space < 0) throw new Error(`not a route key: ${key}`);
  const method = key.slice(0, space);
  const path = fillPath(key.slice(space + 1), input.params ?? {});
  return { method, url: `${path}${searchOf(input.query)}` };
}

/** The path of a route the browser fetches by itself (a download link): `pathOf('GET /api/...', params)`. */
export function pathOf<K extends ApiKey>(key: K, params: ParamsOf<RouteOf<K>>): string {
  return requestOf(key, { params: params as UntypedInput['params'] }).url;
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as {
    error?: string;
    message?: string;
    issues?: FieldIssue[];
    details?: Record<string, unknown>;
  };
  const message =
    body.message ??
    (body.issues?.length ? 'Some fields need attention' : `${response.status} ${response.statusText}`);
  return new ApiError(response.status, body.error ?? 'error', message, body.issues ?? [], body.details);
}

/**
 * Calls the route `key` (`METHOD /api/...`, as the contracts name it) with its path parameters,
 * query and JSON body, and resolves to its answer (undefined for a 204); an error answer rejects
 * with ApiError.
 */
export async function api<K extends ApiKey>(
  key: K,
  ...[input]: InputArgs<RouteOf<K>>
): Promise<ApiResponse<K>> {
  const { method, url } = requestOf(key, input as UntypedInput | undefined);
  const body = (input as UntypedInput | undefined)?.body;
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as ApiResponse<K>;
  return (await response.json()) as ApiResponse<K>;
}

/** A file upload with progress (fetch has none for request bodies): XMLHttpRequest, same rules. */
export function upload<K extends UploadKey>(
  key: K,
  params: ParamsOf<RouteOf<K>>,
  form: FormData,
  onProgress: (fraction: number) => void,
): Promise<ApiResponse<K>> {
  const { method, url } = requestOf(key, { params: params as UntypedInput['params'] });
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const response = new Response(request.responseText, { status: request.status });
      if (request.status >= 200 && request.status < 300) {
        resolve(JSON.parse(request.responseText) as ApiResponse<K>);
      } else errorOf(response).then(reject, reject);
    };
    request.onerror = () => reject(new ApiError(0, 'network', 'The upload could not reach the server'));
    request.send(form);
  });
}
