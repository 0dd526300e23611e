import { digest, newApiKey, parseApiKey, sameSecret } from './secrets.js';

test('an API key parses back into its id and secret; anything else does not parse', () => {
  const { id, secret, key } = newApiKey();
  expect(id).toMatch(/^[A-Za-z0-9]{16}$/);
  expect(parseApiKey(key)).toEqual({ id, secret });
  for (const text of ['', 'dk_', `dk_${id}`, `dk_${id}_short`, `xx_${id}_${secret}`, `${key}x`]) {
    expect(parseApiKey(text)).toBeUndefined();
  }
});

test('digests compare equal only for the same secret', () => {
  const { secret } = newApiKey();
  expect(sameSecret(digest(secret), digest(secret))).toBe(true);
  expect(sameSecret(digest(secret), digest(`${secret}x`))).toBe(false);
  expect(sameSecret('a', 'ab')).toBe(false);
});
