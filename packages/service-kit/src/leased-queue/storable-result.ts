import { DEFAULT_INPUT_LIMITS, findLimitViolation, type InputLimits } from '../http/input-limits.js';

/**
 * The shape the store takes, bounded as the HTTP layer bounds what it accepts: nesting (MongoDB
 * refuses documents nested past 100 levels, the embedded store overflows well before) and key
 * names (`$`, `.`, NUL). Sizes are bounded in bytes instead, so lengths are free.
 */
const STORABLE_SHAPE: InputLimits = {
  ...DEFAULT_INPUT_LIMITS,
  maxArrayLength: Number.MAX_SAFE_INTEGER,
  maxStringLength: Number.MAX_SAFE_INTEGER,
  maxObjectKeys: Number.MAX_SAFE_INTEGER,
};

/** Why a result cannot be kept: larger than allowed, or refused as it is (shape, keys, serialization). */
export type Unstorable = { kind: 'too-large'; bytes: number } | { kind: 'refused'; reason: string };

/**
 * Whether what a worker produced can be written to its item: a result nested too deep, with a
 * key the store refuses, one that cannot be serialized, or larger than `maxBytes` as JSON
 * (UTF-8) cannot. Checked before the write, so the item fails with the reason rather than the
 * write failing and the item staying leased until its lease runs out. `name` is how reasons
 * speak of the value.
 */
export function checkStorable(value: unknown, maxBytes: number, name = 'the result'): Unstorable | undefined {
  const violation = findLimitViolation(value, STORABLE_SHAPE);
  // Its message speaks of "the body" (an HTTP request's).
  if (violation) return { kind: 'refused', reason: violation.message.replace(/^the body/, name) };
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(value ?? null));
  } catch (error) {
    return { kind: 'refused', reason: (error as Error).message };
  }
  return bytes <= maxBytes ? undefined : { kind: 'too-large', bytes };
}

/** Text kept for people to read (an error message), cut past `maxChars` with a note of how much. */
export function cutText(text: string, maxChars: number): string {
  return text.length <= maxChars
    ? text
    : `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters cut)`;
}
