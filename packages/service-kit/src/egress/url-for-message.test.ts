import { urlForMessage, withUrlsMasked } from './url-for-message.js';

describe('urlForMessage', () => {
  it.each([
    [
      'https://bot:hunter2@executor.example/run?token=s3cr3t&page=2#frag',
      'https://executor.example/run?token=***&page=***',
    ],
    ['https://bot@executor.example/run', 'https://executor.example/run'],
    ['http://127.0.0.1:4002/api/templates/t1/blueprint', 'http://127.0.0.1:4002/api/templates/t1/blueprint'],
    ['https://a.example/x?flag&sig=abc%20d', 'https://a.example/x?flag=&sig=***'],
    ['not a url with token=s3cr3t', '(unparsable URL)'],
  ])('%s → %s', (input, shown) => {
    expect(urlForMessage(input)).toBe(shown);
  });
});

describe('withUrlsMasked', () => {
  it('masks every URL inside a foreign message and leaves the rest', () => {
    expect(
      withUrlsMasked(
        'Request cannot be constructed from a URL that includes credentials: http://bot:hunter2@h.example:81/x?token=s3cr3t',
      ),
    ).toBe(
      'Request cannot be constructed from a URL that includes credentials: http://h.example:81/x?token=***',
    );
    expect(withUrlsMasked('connect ECONNREFUSED 127.0.0.1:4002')).toBe('connect ECONNREFUSED 127.0.0.1:4002');
  });
});
