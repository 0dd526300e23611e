import { describeBody, interpretExecutorResponse } from './executor-response.js';

describe('interpretExecutorResponse', () => {
  it('maps the executor protocol and falls back to plain success', () => {
    expect(interpretExecutorResponse({ status: 'succeeded', result: 1 })).toEqual({
      outcome: 'success',
      result: 1,
    });
    expect(interpretExecutorResponse({ status: 'needs_human', reason: 'look', result: { a: 1 } })).toEqual({
      outcome: 'needs_human',
      reason: 'look',
      result: { a: 1 },
    });
    expect(interpretExecutorResponse({ status: 'needs_human' })).toEqual({
      outcome: 'needs_human',
      reason: 'the executor asked for a person',
    });
    expect(interpretExecutorResponse(undefined)).toEqual({ outcome: 'success', result: undefined });
    expect(interpretExecutorResponse('ok')).toEqual({ outcome: 'success', result: 'ok' });
  });

  it('shortens long error bodies', () => {
    expect(describeBody('x'.repeat(400))).toHaveLength(301);
    expect(describeBody({ a: 1 })).toBe('{"a":1}');
  });
});
