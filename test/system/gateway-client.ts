/**
 * How the tests talk to the gateway: as a browser does (a session cookie, and the CSRF token
 * from the sign-in answer on every state-changing request) or as a script does (an API key).
 */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON of many shapes; tests assert on them
  body: any;
  headers: Headers;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body, headers: response.headers };
}

const jsonInit = (method: string, headers: Record<string, string>, body?: unknown): RequestInit => ({
  method,
  headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

export class BrowserSession {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly base: string) {}

  async login(email: string, password: string): Promise<Answer> {
    const response = await fetch(`${this.base}/api/auth/login`, jsonInit('POST', {}, { email, password }));
    const setCookie = response.headers.get('set-cookie');
    const result = await answer(response);
    if (response.ok) {
      this.cookie = setCookie?.split(';')[0];
      this.csrfToken = result.body.csrfToken;
    }
    return { ...result, headers: response.headers };
  }

  /** A request with the session cookie; with the CSRF token unless `csrf: false`. */
  request(method: string, path: string, body?: unknown, { csrf = true } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (csrf && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    return fetch(`${this.base}${path}`, jsonInit(method, headers, body)).then(answer);
  }
}

export function keyClient(base: string, key: string) {
  return (method: string, path: string, body?: unknown): Promise<Answer> =>
    fetch(`${base}${path}`, jsonInit(method, { authorization: `Bearer ${key}` }, body)).then(answer);
}

/** Signs in, makes an API key with `roles` (all of the person's when left out), returns a client using it. */
export async function signedInKey(base: string, email: string, password: string, roles?: string[]) {
  const session = new BrowserSession(base);
  const login = await session.login(email, password);
  if (login.status !== 200)
    throw new Error(`sign-in as ${email}: ${login.status} ${JSON.stringify(login.body)}`);
  const created = await session.request('POST', '/api/keys', {
    name: `${email} test key`,
    ...(roles ? { roles } : {}),
  });
  if (created.status !== 201)
    throw new Error(`key for ${email}: ${created.status} ${JSON.stringify(created.body)}`);
  return { session, key: created.body.key as string, api: keyClient(base, created.body.key) };
}

/** An admin invites someone with `roles`; they accept with `password`. */
export async function invitedPerson(admin: BrowserSession, email: string, roles: string[], password: string) {
  const invited = await admin.request('POST', '/api/users', { email, name: email.split('@')[0], roles });
  if (invited.status !== 201)
    throw new Error(`invite ${email}: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await fetch(
    `${admin.base}/api/auth/accept-invitation`,
    jsonInit('POST', {}, { token: invited.body.invitation.token, password }),
  ).then(answer);
  if (accepted.status !== 200)
    throw new Error(`accept ${email}: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return invited.body.user as { id: string; email: string };
}
