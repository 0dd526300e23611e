import { checkStorable, cutText } from './storable-result.js';

test('a value within the limit is storable', () => {
  expect(checkStorable({ ok: 'x'.repeat(900) }, 1_024)).toBeUndefined();
  expect(checkStorable(undefined, 4)).toBeUndefined(); // stored as null
});

test('a value over the limit is too large, counted in UTF-8 bytes of its JSON', () => {
  expect(checkStorable({ blob: 'x'.repeat(2_000) }, 1_024)).toEqual({ kind: 'too-large', bytes: 2_011 });
  expect(checkStorable('é'.repeat(600), 1_024)).toEqual({ kind: 'too-large', bytes: 1_202 });
});

test('a value the store refuses as it is says why, naming it as told', () => {
  let deep: unknown = { leaf: true };
  for (let level = 0; level < 200; level += 1) deep = { inner: deep };
  expect(checkStorable(deep, 1_000_000, 'the output')).toEqual({
    kind: 'refused',
    reason: `the output at ${Array(32).fill('inner').join('.')} nests deeper than 32 levels`,
  });
  expect(checkStorable({ query: { $where: 1 } }, 1_000)).toEqual({
    kind: 'refused',
    reason: expect.stringMatching(/^the result at query\.\$where .*refused key/),
  });
  expect(checkStorable({ count: 1n }, 1_000)).toEqual({
    kind: 'refused',
    reason: expect.stringMatching(/BigInt/),
  });
});

test('long strings and arrays within the byte limit are kept', () => {
  expect(checkStorable({ log: 'x'.repeat(200_000), ids: Array(20_000).fill(1) }, 1_000_000)).toBeUndefined();
});

test('overlong text is cut, saying how much', () => {
  expect(cutText('short', 10)).toBe('short');
  expect(cutText('e'.repeat(25), 10)).toBe(`${'e'.repeat(10)}… (15 more characters cut)`);
});
