import { nextStepAfterFailure } from './retry-policy.js';

test('each retry uses the next configured delay, then the message is dead-lettered', () => {
  const delays = [1_000, 5_000];
  expect(nextStepAfterFailure(0, delays)).toEqual({ action: 'retry', attempt: 1, delayMs: 1_000 });
  expect(nextStepAfterFailure(1, delays)).toEqual({ action: 'retry', attempt: 2, delayMs: 5_000 });
  expect(nextStepAfterFailure(2, delays)).toEqual({ action: 'dead-letter' });
  expect(nextStepAfterFailure(0, [])).toEqual({ action: 'dead-letter' });
});
