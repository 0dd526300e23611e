import type { Identity } from '@delivery/contracts';
import type { Request, RequestHandler } from 'express';
import type { IdentityVerifier } from '../identity/verifier.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate` before any route runs. */
    identity?: Identity;
  }
}

// Three base64url segments; anything else is refused before it reaches the JWT library.
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

/** Runs before the body is read: a caller without a verified identity gets 401 and nothing else. */
export function authenticate(verifier: IdentityVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    const match = header === undefined ? null : BEARER.exec(header.trim());
    if (!match) {
      next(
        new UnauthenticatedError(
          header === undefined
            ? 'an "Authorization: Bearer <token>" header is required'
            : 'only "Authorization: Bearer <token>" is accepted',
        ),
      );
      return;
    }
    try {
      req.identity = await verifier.verify(match[1] as string);
      req.log = req.log.child({ caller: { kind: req.identity.kind, id: req.identity.id } });
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The verified caller of a request (every route runs after `authenticate`). */
export function identityOf(req: Request): Identity {
  if (!req.identity)
    throw new Error('identityOf: the request was not authenticated (route outside createHttpApp?)');
  return req.identity;
}

/** 403 unless the caller holds one of `roles`; no role implies another, so routes list admin too. */
export function requireRole(...roles: string[]): RequestHandler {
  return (req, _res, next) => {
    const identity = identityOf(req);
    if (roles.some((role) => identity.roles.includes(role))) {
      next();
      return;
    }
    next(new ForbiddenError(`this needs one of the roles ${roles.join(', ')}`, { requiredRoles: roles }));
  };
}
