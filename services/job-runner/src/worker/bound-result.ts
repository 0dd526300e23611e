import { checkStorable, cutText } from '@delivery/service-kit';
import type { AttemptResult } from '../store/job-leases.js';

/** Errors are kept for people to read; beyond this they are cut (with a note). */
const MAX_ERROR_CHARS = 8_000;

/**
 * Keeps what a handler produced within what can be stored (service-kit's checkStorable): a
 * result (or a needs-human reason) nested too deep, with a key the store refuses, larger than
 * `maxBytes` as JSON, or one that cannot be serialized, fails the job for good (running it again
 * would produce the same), and an overlong error message is cut.
 */
export function boundResult(result: AttemptResult, maxBytes: number): AttemptResult {
  if (result.outcome === 'failed') return { ...result, error: cutText(result.error, MAX_ERROR_CHARS) };
  const stored =
    result.outcome === 'needs_human' ? { reason: result.reason, result: result.result } : result.result;
  const unstorable = checkStorable(stored, maxBytes);
  if (!unstorable) return result;
  return {
    outcome: 'failed',
    error:
      unstorable.kind === 'too-large'
        ? `result too large: ${unstorable.bytes} bytes > limit ${maxBytes} bytes (MAX_RESULT_BYTES)`
        : `result cannot be stored: ${unstorable.reason}`,
    permanent: true,
  };
}
