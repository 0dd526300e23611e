import { spawnExample } from './example-process.js';

describe('example service with a bad env var', () => {
  it('exits non-zero and names the variable', async () => {
    const example = spawnExample({ PORT: 'abc', MONGO_URL: 'mongodb://127.0.0.1:1' });
    const code = await example.exited;
    expect(code).not.toBe(0);
    expect(example.output()).toMatch(/PORT is invalid/);
    expect(example.output()).not.toMatch(/MONGO_URL/);
  });
});

describe('example service with unusable identity keys', () => {
  it('exits non-zero naming the variable, before serving anything', async () => {
    const example = spawnExample({
      PORT: '0',
      MONGO_URL: 'mongodb://127.0.0.1:1',
      IDENTITY_PUBLIC_KEYS: '{"keys":[{"kty":"RSA","kid":"gateway"}]}',
    });
    expect(await example.exited).not.toBe(0);
    expect(example.output()).toMatch(/config: IDENTITY_PUBLIC_KEYS is invalid: is not a JWKS/);
    expect(example.output()).not.toMatch(/listening/);
  });
});
