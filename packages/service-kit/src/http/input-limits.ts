/**
 * What any route accepts at most, checked once before a route sees the request. The bounds
 * protect the store as much as the process: MongoDB refuses documents nested past 100 levels
 * (the embedded store's backend overflows its stack well before), and BSON refuses some key names.
 */
export interface InputLimits {
  /** Raw JSON body size; larger answers 413 before anything is parsed. */
  maxBodyBytes: number;
  /** Nested objects and arrays; `{ "a": 1 }` is depth 1. */
  maxDepth: number;
  maxArrayLength: number;
  /** Characters of any string value or key. */
  maxStringLength: number;
  maxObjectKeys: number;
  /** `&`-separated parameters of the query string. */
  maxQueryParams: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxBodyBytes: 1_048_576,
  maxDepth: 32,
  maxArrayLength: 10_000,
  maxStringLength: 100_000,
  maxObjectKeys: 1_000,
  maxQueryParams: 100,
};

export type InputLimitCode =
  | 'body_too_deep'
  | 'body_array_too_long'
  | 'body_string_too_long'
  | 'body_too_many_keys'
  | 'body_key_refused'
  | 'query_too_many_params';

export interface LimitViolation {
  code: InputLimitCode;
  /** Dotted like zod issue paths (`payload.items.3`); '' is the body itself. */
  path: string;
  limit?: number;
  message: string;
}

export const REFUSED_KEY_RULE = 'keys must not start with "$", contain "." or NUL, or be "__proto__"';

// `$`-keys are operators to MongoDB, dotted keys are paths, NUL ends a BSON key, and an own
// `__proto__` turns into a prototype as soon as some code copies the object with assignment.
const refusedKey = (key: string) =>
  key.startsWith('$') || key.includes('.') || key.includes('\0') || key === '__proto__';

interface Visit {
  value: unknown;
  depth: number;
  key: string | number;
  parent: Visit | undefined;
}

/**
 * The first bound a parsed JSON value breaks, or undefined. Iterative on purpose: the value may
 * nest far deeper than the call stack allows (JSON.parse itself is iterative and takes it), and it
 * stops descending at the depth limit, so work stays proportional to what is within bounds.
 */
export function findLimitViolation(body: unknown, limits: InputLimits): LimitViolation | undefined {
  const pending: Visit[] = [{ value: body, depth: 0, key: '', parent: undefined }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) return stringTooLong(visit, limits);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;

    const depth = visit.depth + 1;
    if (depth > limits.maxDepth) {
      return violation(
        'body_too_deep',
        visit,
        limits.maxDepth,
        `nests deeper than ${limits.maxDepth} levels`,
      );
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayLength) {
        return violation(
          'body_array_too_long',
          visit,
          limits.maxArrayLength,
          `has more than ${limits.maxArrayLength} items`,
        );
      }
      value.forEach((item, index) => {
        pending.push({ value: item, depth, key: index, parent: visit });
      });
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > limits.maxObjectKeys) {
      return violation(
        'body_too_many_keys',
        visit,
        limits.maxObjectKeys,
        `has more than ${limits.maxObjectKeys} keys`,
      );
    }
    for (const key of keys) {
      const child: Visit = { value: (value as Record<string, unknown>)[key], depth, key, parent: visit };
      if (key.length > limits.maxStringLength) return stringTooLong(child, limits);
      if (refusedKey(key))
        return violation('body_key_refused', child, undefined, `has a refused key: ${REFUSED_KEY_RULE}`);
      pending.push(child);
    }
  }
  return undefined;
}

/** The query string's parameter count, from the raw URL so nothing is parsed beyond the bound. */
export function findQueryViolation(url: string, limits: InputLimits): LimitViolation | undefined {
  const start = url.indexOf('?');
  if (start < 0) return undefined;
  let params = 0;
  for (const pair of url.slice(start + 1).split('&', limits.maxQueryParams + 1)) if (pair) params += 1;
  if (params <= limits.maxQueryParams) return undefined;
  return {
    code: 'query_too_many_params',
    path: '',
    limit: limits.maxQueryParams,
    message: `the query string has more than ${limits.maxQueryParams} parameters`,
  };
}

function stringTooLong(visit: Visit, limits: InputLimits): LimitViolation {
  const what = `has a string longer than ${limits.maxStringLength} characters`;
  return violation('body_string_too_long', visit, limits.maxStringLength, what);
}

function violation(code: InputLimitCode, at: Visit, limit: number | undefined, what: string): LimitViolation {
  const path = pathOf(at);
  return { code, path, limit, message: `the body ${path ? `at ${path} ` : ''}${what}` };
}

// Keys are echoed back: shorten long ones so a refusal stays small.
const SEGMENT_MAX = 64;

function pathOf(visit: Visit): string {
  const segments: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) {
    const segment = String(at.key);
    segments.push(segment.length > SEGMENT_MAX ? `${segment.slice(0, SEGMENT_MAX)}…` : segment);
  }
  return segments.reverse().join('.');
}
