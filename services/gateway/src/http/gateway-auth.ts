import type { Identity } from '@delivery/contracts';
import { gatewayRoutes } from '@delivery/contracts/routes';
import { ForbiddenError, UnauthenticatedError } from '@delivery/service-kit';
import type { Request, RequestHandler } from 'express';
import { effectiveKeyRoles } from '../domain/roles.js';
import { parseApiKey, sameSecret } from '../domain/secrets.js';
import type { AccountStore } from '../store/account-store.js';
import type { ApiKeyStore } from '../store/api-key-store.js';
import type { ApiKeyDocument, SessionDocument, UserDocument } from '../store/models.js';
import type { SessionStore } from '../store/session-store.js';

export const SESSION_COOKIE = 'sid';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'express-serve-static-core' {
  interface Request {
    /** How the caller signed in: a browser session or an API key (set by gatewayAuthentication). */
    session?: SessionDocument;
    apiKey?: ApiKeyDocument;
    account?: UserDocument;
  }
}

/**
 * The gateway's routes whose contracts need no identity (`public: true`: signing in, accepting an
 * invitation, the API document and its page), as `METHOD /path` in lower case. Matched exactly:
 * none has path parameters.
 */
const PUBLIC_ROUTES = new Set(
  Object.values(gatewayRoutes)
    .filter((route) => 'public' in route && route.public)
    .map((route) => `${route.method} ${route.path.toLowerCase()}`),
);
/** The docs page's script and Swagger UI's assets: files, under the page's path. */
const DOCS_FILES = `${gatewayRoutes.docsPage.path}/`;

/** What anyone may call: the public routes, the docs page's files, and the web app. */
export function isPublic(req: Request): boolean {
  // Lower case: routers match paths case-insensitively, so /API/users must not pass as a page.
  const path = req.path.toLowerCase();
  if (!path.startsWith('/api/') && path !== '/api') return true;
  if (PUBLIC_ROUTES.has(`${req.method} ${path}`)) return true;
  return req.method === 'GET' && path.startsWith(DOCS_FILES);
}

/**
 * Paths that could be read two ways (dot segments, empty segments, encoded slashes or dots) are
 * refused before anything else looks at them: the authentication, the routers and the proxy
 * would otherwise each normalise them differently.
 */
export const refuseAmbiguousPaths: RequestHandler = (req, res, next) => {
  const path = req.originalUrl.split('?')[0] ?? '';
  if (/(^|\/)\.{1,2}(\/|$)|\/\/|%2e|%2f|%5c|\\/i.test(path)) {
    res.status(400).json({
      error: 'bad_path',
      message: 'the path has dot segments, empty segments or encoded separators',
    });
    return;
  }
  next();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer\s+(\S+)$/i;

export interface GatewayAuthDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  keys: ApiKeyStore;
}

/**
 * Who is calling: an API key (`Authorization: Bearer dk_…`) or the session cookie. Either way
 * the account must still be active, and its roles are read now (a key grants its roles only as
 * far as its owner still holds them). A session's state-changing requests must carry its CSRF
 * token in `x-csrf-token`: a cookie alone, which a browser sends from any site, changes nothing.
 */
export function gatewayAuthentication({ accounts, sessions, keys }: GatewayAuthDeps): RequestHandler {
  async function byKey(req: Request, header: string): Promise<Identity> {
    const parsed = parseApiKey(BEARER.exec(header.trim())?.[1] ?? '');
    if (!parsed) throw new UnauthenticatedError('only "Authorization: Bearer <API key>" is accepted here');
    const key = await keys.verify(parsed.id, parsed.secret);
    const owner = key ? await accounts.find(key.userId) : null;
    if (!key || !owner?.active) throw new UnauthenticatedError('the API key is unknown or revoked');
    req.apiKey = key;
    req.account = owner;
    return {
      kind: 'user',
      id: owner._id,
      name: owner.name,
      roles: effectiveKeyRoles(key.roles, owner.roles),
    };
  }

  async function bySession(req: Request): Promise<Identity> {
    const sessionId = (req.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
    const session = sessionId ? await sessions.resume(sessionId) : undefined;
    const owner = session ? await accounts.find(session.userId) : null;
    if (!session || !owner?.active) {
      throw new UnauthenticatedError('sign in first (POST /api/auth/login), or send an API key');
    }
    if (!SAFE_METHODS.has(req.method) && !sameSecret(req.get(CSRF_HEADER) ?? '', session.csrfToken)) {
      throw new ForbiddenError(`a state-changing request needs the session's ${CSRF_HEADER} header`, {
        reason: 'csrf_token_missing_or_wrong',
      });
    }
    req.session = session;
    req.account = owner;
    return { kind: 'user', id: owner._id, name: owner.name, roles: owner.roles };
  }

  return async (req, _res, next) => {
    if (isPublic(req)) {
      next();
      return;
    }
    try {
      const header = req.get('authorization');
      req.identity = header === undefined ? await bySession(req) : await byKey(req, header);
      req.log = req.log.child({ caller: { id: req.identity.id, via: req.apiKey ? 'api_key' : 'session' } });
      next();
    } catch (error) {
      next(error);
    }
  };
}
