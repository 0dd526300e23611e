import { REDACTED, redactSecrets } from './secrets.js';

describe('redactSecrets', () => {
  it('hides credential-named keys at any depth, whatever their value', () => {
    expect(
      redactSecrets({
        apiKey: 'k',
        nested: { Authorization: 'Bearer x', list: [{ password: 'p', keep: 1 }], client_secret: { a: 1 } },
        accessToken: null,
        name: 'visible',
      }),
    ).toEqual({
      apiKey: REDACTED,
      nested: { Authorization: REDACTED, list: [{ password: REDACTED, keep: 1 }], client_secret: REDACTED },
      accessToken: REDACTED,
      name: 'visible',
    });
  });

  it('hides the paths a kind declares, `*` matching any key', () => {
    const payload = { headers: { 'X-Signature': 's', Accept: 'application/json' }, body: { headers: 1 } };
    expect(redactSecrets(payload, ['headers.*'])).toEqual({
      headers: { 'X-Signature': REDACTED, Accept: REDACTED },
      body: { headers: 1 },
    });
  });

  it('hides passwords and credential query parameters inside URLs, leaving other strings exact', () => {
    expect(redactSecrets({ url: 'https://bot:hunter2@ci.example/run?token=abc&x=1' })).toEqual({
      url: 'https://bot:***@ci.example/run?token=***&x=1',
    });
    expect(redactSecrets(['https://example.com/a b?q=1', 'not a url'])).toEqual([
      'https://example.com/a b?q=1',
      'not a url',
    ]);
  });

  it('copies: the input keeps its secrets', () => {
    const payload = { token: 't' };
    redactSecrets(payload);
    expect(payload).toEqual({ token: 't' });
  });
});
