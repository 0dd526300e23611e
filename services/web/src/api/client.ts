/**
 * The one way the app talks to the gateway: same-origin fetch with the session cookie, the CSRF
 * token on every state-changing request, and the API's error bodies turned into ApiError (so a
 * form can show each field's message beside the field).
 */
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

const SAFE = new Set(['GET', 'HEAD']);

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

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  if (!SAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** An upload with progress (fetch has none for request bodies): XMLHttpRequest, same rules. */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const response = new Response(request.responseText, { status: request.status });
      if (request.status >= 200 && request.status < 300) resolve(JSON.parse(request.responseText) as T);
      else errorOf(response).then(reject, reject);
    };
    request.onerror = () => reject(new ApiError(0, 'network', 'The upload could not reach the server'));
    request.send(form);
  });
}
