import type { HandlerResult } from '../handler.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Maps a 2xx answer of an external executor to the job's outcome. Executors that speak the
 * protocol answer `{ status: 'succeeded', result }` or `{ status: 'needs_human', reason }`; any
 * other 2xx is taken as plain success, so a bare webhook works too.
 */
export function interpretExecutorResponse(body: unknown): HandlerResult {
  if (isObject(body) && body.status === 'succeeded') return { outcome: 'success', result: body.result };
  if (isObject(body) && body.status === 'needs_human') {
    const reason =
      typeof body.reason === 'string' && body.reason.trim() !== ''
        ? body.reason
        : 'the executor asked for a person';
    return body.result === undefined
      ? { outcome: 'needs_human', reason }
      : { outcome: 'needs_human', reason, result: body.result };
  }
  return { outcome: 'success', result: body };
}

/** Enough of an error body to explain a rejection in the job's error field. */
export function describeBody(body: unknown, max = 300): string {
  if (body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
