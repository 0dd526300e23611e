import { DEFAULT_INPUT_LIMITS, findLimitViolation, findQueryViolation } from './input-limits.js';

const limits = DEFAULT_INPUT_LIMITS;

/** `{"a":{"a":...1...}}` as raw text, `levels` objects deep. */
const nestedText = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('findLimitViolation', () => {
  it('accepts a body within every bound', () => {
    const body = { projectId: 'p1', payload: { items: [1, 'two', { three: [null, true] }] } };
    expect(findLimitViolation(body, limits)).toBeUndefined();
    expect(findLimitViolation(JSON.parse(nestedText(limits.maxDepth)), limits)).toBeUndefined();
  });

  it('names the depth limit and the path of the first level past it', () => {
    const found = findLimitViolation(JSON.parse(nestedText(2_000)), limits);
    expect(found).toMatchObject({ code: 'body_too_deep', limit: 32, path: Array(32).fill('a').join('.') });
    const inArrays = findLimitViolation(
      { payload: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) },
      limits,
    );
    expect(inArrays).toMatchObject({ code: 'body_too_deep', path: `payload${'.0'.repeat(31)}` });
  });

  it('checks 100,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(nestedText(100_000));
    expect(findLimitViolation(deep, limits)).toMatchObject({ code: 'body_too_deep' });
    const arrays = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(findLimitViolation(arrays, limits)).toMatchObject({ code: 'body_too_deep' });
  });

  it('bounds arrays, strings (values and keys) and keys per object', () => {
    expect(findLimitViolation({ list: new Array(10_001).fill(0) }, limits)).toMatchObject({
      code: 'body_array_too_long',
      limit: 10_000,
      path: 'list',
    });
    expect(findLimitViolation({ a: [{ note: 'x'.repeat(100_001) }] }, limits)).toMatchObject({
      code: 'body_string_too_long',
      limit: 100_000,
      path: 'a.0.note',
    });
    const longKey = 'k'.repeat(100_001);
    expect(findLimitViolation({ [longKey]: 1 }, limits)).toMatchObject({
      code: 'body_string_too_long',
      path: `${'k'.repeat(64)}…`,
    });
    const wide = Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`k${i}`, i]));
    expect(findLimitViolation({ wide }, limits)).toMatchObject({ code: 'body_too_many_keys', path: 'wide' });
  });

  it('refuses keys MongoDB reads as operators or paths, NUL and __proto__', () => {
    for (const key of ['$where', '$set', 'a.b', 'nul\u0000', '__proto__']) {
      const body = JSON.parse(`{"payload":{"ok":1,${JSON.stringify(key)}:1}}`);
      expect(findLimitViolation(body, limits)).toMatchObject({
        code: 'body_key_refused',
        path: `payload.${key}`,
      });
    }
    expect(findLimitViolation({ price$: 1, 'a-b_c': 2, '': 3 }, limits)).toBeUndefined();
  });
});

describe('findQueryViolation', () => {
  it('counts the parameters of the raw query string', () => {
    const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&');
    expect(findQueryViolation(`/jobs?${params(100)}`, limits)).toBeUndefined();
    expect(findQueryViolation(`/jobs?${params(10_000)}`, limits)).toMatchObject({
      code: 'query_too_many_params',
      limit: 100,
    });
    expect(findQueryViolation('/jobs', limits)).toBeUndefined();
    expect(findQueryViolation('/jobs?&&&a=1&&', limits)).toBeUndefined();
  });
});
