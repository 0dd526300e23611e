import type { AttemptResult } from '../store/job-leases.js';

/** Errors are kept for people to read; beyond this they are cut (with a note). */
const MAX_ERROR_CHARS = 8_000;

/**
 * Keeps what a handler produced within what can be stored: a result (or a needs-human reason)
 * larger than `maxBytes` as JSON, or one that cannot be serialized, fails the job for good
 * (running it again would produce the same), and an overlong error message is cut.
 */
export function boundResult(result: AttemptResult, maxBytes: number): AttemptResult {
  if (result.outcome === 'failed') return { ...result, error: truncate(result.error) };
  const stored =
    result.outcome === 'needs_human' ? { reason: result.reason, result: result.result } : result.result;
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(stored ?? null));
  } catch (error) {
    return {
      outcome: 'failed',
      error: `result cannot be stored: ${(error as Error).message}`,
      permanent: true,
    };
  }
  if (bytes <= maxBytes) return result;
  return {
    outcome: 'failed',
    error: `result too large: ${bytes} bytes > limit ${maxBytes} bytes (MAX_RESULT_BYTES)`,
    permanent: true,
  };
}

function truncate(error: string): string {
  return error.length <= MAX_ERROR_CHARS
    ? error
    : `${error.slice(0, MAX_ERROR_CHARS)}… (${error.length - MAX_ERROR_CHARS} more characters cut)`;
}
