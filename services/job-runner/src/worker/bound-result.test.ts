import { boundResult } from './bound-result.js';

const limit = 1_024;

test('a result within the limit is kept as it is', () => {
  const result = { outcome: 'success', result: { ok: 'x'.repeat(900) } } as const;
  expect(boundResult(result, limit)).toBe(result);
});

test('a result over the limit fails the job for good, saying how big it was', () => {
  expect(boundResult({ outcome: 'success', result: { blob: 'x'.repeat(2_000) } }, limit)).toEqual({
    outcome: 'failed',
    error: 'result too large: 2011 bytes > limit 1024 bytes (MAX_RESULT_BYTES)',
    permanent: true,
  });
  expect(
    boundResult({ outcome: 'needs_human', reason: 'y'.repeat(2_000), result: null }, limit),
  ).toMatchObject({
    outcome: 'failed',
    permanent: true,
  });
});

test('sizes are counted in UTF-8 bytes, not characters', () => {
  expect(boundResult({ outcome: 'success', result: 'é'.repeat(600) }, limit)).toMatchObject({
    outcome: 'failed',
    error: expect.stringMatching(/^result too large: 1202 bytes/),
  });
});

test('a result that cannot be serialized fails the job for good', () => {
  expect(boundResult({ outcome: 'success', result: { count: 1n } }, limit)).toMatchObject({
    outcome: 'failed',
    error: expect.stringMatching(/^result cannot be stored: .*BigInt/),
    permanent: true,
  });
});

test('an overlong error message is cut', () => {
  const bounded = boundResult({ outcome: 'failed', error: 'e'.repeat(20_000), permanent: false }, limit);
  expect(bounded).toMatchObject({ outcome: 'failed', permanent: false });
  expect((bounded as { error: string }).error).toMatch(/^e{8000}… \(12000 more characters cut\)$/);
});

test('a result nested deeper than the store takes fails the job for good, saying where', () => {
  let deep: unknown = { leaf: true };
  for (let level = 0; level < 200; level += 1) deep = { inner: deep };
  expect(boundResult({ outcome: 'success', result: deep }, 1_000_000)).toEqual({
    outcome: 'failed',
    error: `result cannot be stored: the result at ${Array(32).fill('inner').join('.')} nests deeper than 32 levels`,
    permanent: true,
  });
});

test('a result with a key the store refuses ($, dots, NUL) fails the job for good', () => {
  for (const key of ['$where', 'a.b', 'nul\u0000']) {
    expect(
      boundResult({ outcome: 'needs_human', reason: 'check', result: { query: { [key]: 1 } } }, limit),
    ).toEqual({
      outcome: 'failed',
      error: expect.stringMatching(/^result cannot be stored: the result at result\.query\..* refused key/),
      permanent: true,
    });
  }
});

test('long strings and arrays within the byte limit are kept', () => {
  const result = {
    outcome: 'success',
    result: { log: 'x'.repeat(200_000), ids: Array(20_000).fill(1) },
  } as const;
  expect(boundResult(result, 1_000_000)).toBe(result);
});
