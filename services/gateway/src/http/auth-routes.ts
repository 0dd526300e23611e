import { gatewayRoutes as routes } from '@delivery/contracts/routes';
import { ForbiddenError, serveRoute, UnprocessableError } from '@delivery/service-kit';
import { type CookieOptions, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from '../domain/passwords.js';
import { digest } from '../domain/secrets.js';
import type { StreamRegistry } from '../events/stream-registry.js';
import { type AccountStore, accountOf } from '../store/account-store.js';
import type { ApiKeyStore } from '../store/api-key-store.js';
import type { AuditLog } from '../store/audit-log.js';
import type { UserDocument } from '../store/models.js';
import type { SessionStore } from '../store/session-store.js';
import { auditActor, clientAddress } from './audit-context.js';
import { SESSION_COOKIE } from './gateway-auth.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export interface AuthRoutesDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  /** A password change revokes the account's keys. */
  keys: ApiKeyStore;
  audit: AuditLog;
  /** Counts password checks per email and address, before each check. */
  throttle: SignInThrottle;
  sessionTtlMinutes: number;
  cookieSecure: boolean;
  loginAttemptsPerMinute: number;
  /** Open live-event streams, ended when their session ends. */
  streams?: StreamRegistry;
}

/** Sign in, sign out, the current session, accepting an invitation and changing one's password. */
export function authRoutes(deps: AuthRoutesDeps): Router {
  const { accounts, sessions, audit, throttle } = deps;
  const router = Router();
  const cookie: CookieOptions = {
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.cookieSecure,
    path: '/',
  };

  // Per client address and replica: the throttle per email and address (stored, shared) is the
  // real limit; this only keeps one address from trying many accounts quickly.
  const limitAttempts = rateLimit({
    windowMs: 60_000,
    limit: deps.loginAttemptsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    message: { error: 'too_many_attempts', message: 'too many sign-in attempts; wait a minute' },
  });

  // Every attempt counts, even one whose body the contract refuses.
  router.post(routes.login.path, limitAttempts);
  serveRoute(router, routes.login, async ({ body: { email, password }, req, res }) => {
    const user = await accounts.findByEmail(email);
    const context = {
      actor: auditActor(req, email.toLowerCase()),
      ip: clientAddress(req),
      target: user ? { kind: 'user' as const, id: user._id } : null,
    };
    // Counted before the password is checked; unknown emails are throttled alike, so being
    // throttled tells nothing about which emails have accounts.
    const attempt = await throttle.attempt(email.toLowerCase(), clientAddress(req) ?? 'unknown', context);
    // Unknown accounts cost a hash too, so timing does not tell which emails have accounts.
    const refused = attempt.admitted
      ? whyRefused(user, await verifyPassword(password, user?.passwordHash ?? UNKNOWN_ACCOUNT_HASH))
      : 'throttled';
    if (refused !== null || !user || !attempt.admitted) {
      await audit.record({ ...context, action: 'login_failed', details: { reason: refused } });
      // One answer for every reason: it must not tell what exists, what is active or who is throttled.
      return {
        status: 401,
        body: {
          error: 'invalid_credentials',
          message: 'the email or the password is wrong, or there were too many attempts: wait a moment',
        },
      };
    }
    await attempt.succeeded();
    const { sessionId, session } = await sessions.open(user._id);
    res.cookie(SESSION_COOKIE, sessionId, { ...cookie, maxAge: deps.sessionTtlMinutes * 60_000 });
    await audit.record({
      actor: { kind: 'user', id: user._id, name: user.name },
      ip: clientAddress(req),
      action: 'login_succeeded',
      target: { kind: 'session', id: session._id.slice(0, 12) },
      details: {},
    });
    return { body: { user: accountOf(user), csrfToken: session.csrfToken } };
  });

  serveRoute(router, routes.session, ({ identity, req }) => ({
    body: {
      user: req.account ? accountOf(req.account) : undefined,
      roles: identity.roles,
      via: req.apiKey ? 'api_key' : 'session',
      ...(req.session ? { csrfToken: req.session.csrfToken, expiresAt: req.session.expiresAt } : {}),
    },
  }));

  serveRoute(router, routes.logout, async ({ req, res }) => {
    if (!req.session) {
      throw new UnprocessableError(
        'signed in with an API key: revoke the key instead (DELETE /api/keys/:id)',
      );
    }
    const sessionId = (req.cookies as Record<string, string>)[SESSION_COOKIE] as string;
    await sessions.close(sessionId);
    deps.streams?.endAll(`session:${req.session._id}`);
    res.clearCookie(SESSION_COOKIE, cookie);
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'logout',
      target: { kind: 'session', id: req.session._id.slice(0, 12) },
      details: {},
    });
    return { status: 204 };
  });

  serveRoute(router, routes.acceptInvitation, async ({ body: { token, password }, req }) => {
    const user = await accounts.acceptInvitation(digest(token), await hashPassword(password));
    if (!user)
      throw new UnprocessableError('the invitation is unknown, used or expired; ask an admin for a new one');
    await audit.record({
      actor: { kind: 'user', id: user._id, name: user.name },
      ip: clientAddress(req),
      action: 'invitation_accepted',
      target: { kind: 'user', id: user._id },
      details: {},
    });
    return { body: { user: accountOf(user) } };
  });

  router.post(routes.changePassword.path, limitAttempts);
  serveRoute(router, routes.changePassword, async ({ body: { currentPassword, newPassword }, req, res }) => {
    const account = req.account;
    if (!account || !req.session) throw new UnprocessableError('change a password from a signed-in session');
    // Someone holding a stolen session must not get a free guessing oracle: current passwords
    // are throttled like sign-ins, per email and address.
    const attempt = await throttle.attempt(account.email, clientAddress(req) ?? 'unknown', {
      actor: auditActor(req),
      ip: clientAddress(req),
      target: { kind: 'user', id: account._id },
    });
    if (!attempt.admitted) {
      return {
        status: 429,
        body: {
          error: 'too_many_attempts',
          message: 'too many wrong passwords from here: wait a while before trying again',
        },
      };
    }
    if (!account.passwordHash || !(await verifyPassword(currentPassword, account.passwordHash))) {
      throw new ForbiddenError('the current password is wrong', { reason: 'wrong_password' });
    }
    await attempt.succeeded();
    await accounts.update(account._id, { passwordHash: await hashPassword(newPassword) });
    // Every other browser signed in as this person is signed out, and every key made under the
    // old password ends (it may have leaked with it); this browser stays.
    await sessions.closeAllOf(account._id);
    const revokedKeys = await deps.keys.revokeAllOf(account._id);
    deps.streams?.endAll(`user:${account._id}`);
    const { sessionId, session } = await sessions.open(account._id);
    res.cookie(SESSION_COOKIE, sessionId, { ...cookie, maxAge: deps.sessionTtlMinutes * 60_000 });
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'password_changed',
      target: { kind: 'user', id: account._id },
      details: { revokedKeys },
    });
    return { body: { user: accountOf(account), csrfToken: session.csrfToken, revokedKeys } };
  });

  return router;
}

/** Why a checked sign-in fails (for the audit only), or null when it succeeds. */
function whyRefused(user: UserDocument | null, passwordMatches: boolean) {
  if (!user) return 'unknown_account';
  if (user.passwordHash === null) return 'invitation_pending';
  if (!passwordMatches) return 'wrong_password';
  if (!user.active) return 'inactive';
  return null;
}
