/** `Application/JSON; charset=utf-8` → `application/json`: parameters and case do not change what a file is. */
export function essence(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = essence(pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('[^;]*');
  return new RegExp(`^${escaped}$`);
}

// Whether a declared content type is one the blueprint allows. Patterns may use `*` as a
// wildcard: `application/*`, `application/*+json`, or `*` alone for anything.
export function contentTypeAllowed(contentType: string, allowed: readonly string[]): boolean {
  const actual = essence(contentType);
  return allowed.some((pattern) => {
    const p = essence(pattern);
    return p === '*' || p === '*/*' || patternToRegExp(p).test(actual);
  });
}
