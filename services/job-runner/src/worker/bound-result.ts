import { DEFAULT_INPUT_LIMITS, findLimitViolation, type InputLimits } from '@delivery/service-kit';
import type { AttemptResult } from '../store/job-leases.js';

/** Errors are kept for people to read; beyond this they are cut (with a note). */
const MAX_ERROR_CHARS = 8_000;

/**
 * The shape the store takes, bounded as the HTTP layer bounds what it accepts: nesting (MongoDB
 * refuses documents nested past 100 levels, the embedded store overflows well before) and key
 * names (`$`, `.`, NUL). Sizes are bounded in bytes instead (`maxBytes`), so lengths are free.
 */
const STORABLE_SHAPE: InputLimits = {
  ...DEFAULT_INPUT_LIMITS,
  maxArrayLength: Number.MAX_SAFE_INTEGER,
  maxStringLength: Number.MAX_SAFE_INTEGER,
  maxObjectKeys: Number.MAX_SAFE_INTEGER,
};

/**
 * Keeps what a handler produced within what can be stored: a result (or a needs-human reason)
 * nested too deep, with a key the store refuses, larger than `maxBytes` as JSON, or one that
 * cannot be serialized, fails the job for good (running it again would produce the same), and
 * an overlong error message is cut.
 */
export function boundResult(result: AttemptResult, maxBytes: number): AttemptResult {
  if (result.outcome === 'failed') return { ...result, error: truncate(result.error) };
  const stored =
    result.outcome === 'needs_human' ? { reason: result.reason, result: result.result } : result.result;
  const violation = findLimitViolation(stored, STORABLE_SHAPE);
  // Its message speaks of "the body" (an HTTP request's); here it is the result.
  if (violation) return unstorable(violation.message.replace(/^the body/, 'the result'));
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(stored ?? null));
  } catch (error) {
    return unstorable((error as Error).message);
  }
  if (bytes <= maxBytes) return result;
  return {
    outcome: 'failed',
    error: `result too large: ${bytes} bytes > limit ${maxBytes} bytes (MAX_RESULT_BYTES)`,
    permanent: true,
  };
}

function unstorable(reason: string): AttemptResult {
  return { outcome: 'failed', error: `result cannot be stored: ${reason}`, permanent: true };
}

function truncate(error: string): string {
  return error.length <= MAX_ERROR_CHARS
    ? error
    : `${error.slice(0, MAX_ERROR_CHARS)}… (${error.length - MAX_ERROR_CHARS} more characters cut)`;
}
