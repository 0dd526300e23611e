import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { DomainError, UnauthenticatedError } from './errors.js';

export interface ErrorResponse {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** What body-parser and raw-body throw (http-errors): `expose` marks the client's fault. */
interface ClientHttpError {
  type?: string;
  status: number;
  expose: true;
}

function isClientHttpError(err: unknown): err is ClientHttpError {
  if (typeof err !== 'object' || err === null || !('status' in err) || !('expose' in err)) return false;
  return err.expose === true && typeof err.status === 'number' && err.status >= 400 && err.status < 500;
}

/** The router fails to decode a path parameter such as `/jobs/%E0%A4%A` and marks the error 400. */
function isMalformedPathError(err: unknown): boolean {
  return err instanceof URIError && (err as URIError & { status?: number }).status === 400;
}

/** The one place errors become HTTP responses; returns undefined for bugs (500). */
export function describeError(err: unknown): ErrorResponse | undefined {
  if (err instanceof z.core.$ZodError) {
    const issues = err.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    return { status: 400, body: { error: 'validation_failed', issues } };
  }
  if (err instanceof DomainError) {
    const body: Record<string, unknown> = { error: err.code, message: err.message };
    if (err.details) body.details = err.details;
    // RFC 6750: a 401 names the scheme the caller must use.
    if (err instanceof UnauthenticatedError) {
      return { status: err.status, body, headers: { 'www-authenticate': 'Bearer' } };
    }
    return { status: err.status, body };
  }
  if (isMalformedPathError(err)) {
    return {
      status: 400,
      body: { error: 'malformed_url', message: 'the path has a malformed percent-encoding' },
    };
  }
  if (isClientHttpError(err)) {
    if (err.type === 'entity.too.large') return { status: 413, body: { error: 'payload_too_large' } };
    if (err.type === 'entity.parse.failed') return { status: 400, body: { error: 'malformed_json' } };
    // A body that fails to decompress (`content-encoding: gzip` on plain bytes) has no type.
    return { status: err.status, body: { error: err.type ?? 'malformed_body' } };
  }
  return undefined;
}

/** Express error handler: known errors get their status, anything else is logged and answered without detail. */
export const errorMapper: ErrorRequestHandler = (err, req, res, _next) => {
  const known = describeError(err);
  if (known) {
    if (known.headers) res.set(known.headers);
    res.status(known.status).json(known.body);
    return;
  }
  req.log.error({ err }, 'unhandled error');
  res.status(500).json({ error: 'internal' });
};
