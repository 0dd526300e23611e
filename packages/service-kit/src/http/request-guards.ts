import type { Request, RequestHandler } from 'express';
import { findLimitViolation, findQueryViolation, type InputLimits } from './input-limits.js';
import { InputLimitError, UnsupportedMediaTypeError } from './request-errors.js';

export const JSON_TYPES = ['application/json', 'application/*+json'];

// A bodiless POST (`/jobs/:id/cancel`) often still says `content-length: 0`: that is no body.
const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** 415 for a body the JSON parser would skip: the route would otherwise see no body at all. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is(JSON_TYPES)) {
    next(new UnsupportedMediaTypeError('request bodies must be JSON', { accepted: JSON_TYPES }));
    return;
  }
  next();
};

/** 400 before anything parses a query string with more parameters than allowed. */
export function boundQuery(limits: InputLimits): RequestHandler {
  return (req, _res, next) => {
    const violation = findQueryViolation(req.url, limits);
    next(violation && new InputLimitError(violation));
  };
}

/** Runs after the JSON parser, before any route: routes only ever see bounded bodies. */
export function boundBody(limits: InputLimits): RequestHandler {
  return (req, _res, next) => {
    const violation = req.body === undefined ? undefined : findLimitViolation(req.body, limits);
    next(violation && new InputLimitError(violation));
  };
}
