/** What every API output shows in place of a secret: secrets in payloads are write-only. */
export const REDACTED = '***';

/**
 * Keys whose values are credentials in any kind's payload, at any depth. A kind declares its
 * other secrets by path (see `JobKindSpec.secrets`); this rule covers loosely shaped parts
 * (an executor's request body, noop's free-form payload) that no schema can enumerate.
 */
const SECRET_KEY = /authorization|token|secret|passw(or)?d|api[-_]?key|credential|cookie|private[-_]?key/i;

/** Dot-separated keys, `*` standing for any one key or array index (e.g. `headers.*`). */
export type SecretPath = string;

/** A copy of `value` with every secret replaced by `"***"`; the stored value stays intact. */
export function redactSecrets(value: unknown, declared: readonly SecretPath[] = []): unknown {
  const patterns = declared.map((path) => path.split('.'));
  const walk = (node: unknown, path: string[]): unknown => {
    if (typeof node === 'string') return redactUrlCredentials(node);
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, String(index)]));
    return Object.fromEntries(
      Object.entries(node).map(([key, item]) => [
        key,
        SECRET_KEY.test(key) ? REDACTED : visit(item, [...path, key]),
      ]),
    );
  };
  const visit = (node: unknown, path: string[]): unknown =>
    patterns.some((pattern) => matches(pattern, path)) ? REDACTED : walk(node, path);
  return walk(value, []);
}

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  return (
    pattern.length === path.length && pattern.every((segment, i) => segment === '*' || segment === path[i])
  );
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** `https://user:pass@host/?token=x` → `https://user:***@host/?token=***`; other strings as they are. */
function redactUrlCredentials(text: string): string {
  if (!ABSOLUTE_URL.test(text) || !URL.canParse(text)) return text;
  const url = new URL(text);
  let changed = false;
  if (url.password) {
    url.password = REDACTED;
    changed = true;
  }
  for (const key of new Set(url.searchParams.keys())) {
    if (!SECRET_KEY.test(key)) continue;
    url.searchParams.set(key, REDACTED);
    changed = true;
  }
  // Untouched strings keep their exact spelling (URL would normalise it).
  return changed ? url.toString() : text;
}
