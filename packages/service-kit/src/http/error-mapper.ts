import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { DomainError } from './errors.js';

export interface ErrorResponse {
  status: number;
  body: Record<string, unknown>;
}

interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && 'type' in err && 'status' in err && 'expose' in err;
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
    return { status: err.status, body };
  }
  if (isBodyParserError(err)) {
    if (err.type === 'entity.too.large') return { status: 413, body: { error: 'payload_too_large' } };
    if (err.type === 'entity.parse.failed') return { status: 400, body: { error: 'malformed_json' } };
    if (err.status >= 400 && err.status < 500) return { status: err.status, body: { error: err.type } };
  }
  return undefined;
}

/** Express error handler: known errors get their status, anything else is logged and answered without detail. */
export const errorMapper: ErrorRequestHandler = (err, req, res, _next) => {
  const known = describeError(err);
  if (known) {
    res.status(known.status).json(known.body);
    return;
  }
  req.log.error({ err }, 'unhandled error');
  res.status(500).json({ error: 'internal' });
};
