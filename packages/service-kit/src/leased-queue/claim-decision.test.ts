import { decideClaim } from './claim-decision.js';

const now = new Date('2026-01-01T00:00:00Z');
const inMs = (ms: number) => new Date(now.getTime() + ms);
const queued = (dueAt: Date) => ({ queued: true, dueAt });

test('an item due in the past or now is claimed', () => {
  expect(decideClaim(queued(inMs(-1)), now, 0)).toEqual({ kind: 'claim' });
  expect(decideClaim(queued(now), now, 0)).toEqual({ kind: 'claim' });
});

test('a worker whose clock runs behind still claims an item due within the skew allowance, not beyond', () => {
  expect(decideClaim(queued(inMs(5_000)), now, 5_000)).toEqual({ kind: 'claim' });
  expect(decideClaim(queued(inMs(5_001)), now, 5_000)).toEqual({ kind: 'not-due', dueInMs: 5_001 });
  expect(decideClaim(queued(inMs(1)), now, 0)).toEqual({ kind: 'not-due', dueInMs: 1 });
});

test('an item that is not queued, or not there, is skipped', () => {
  expect(decideClaim({ queued: false, dueAt: now }, now, 5_000)).toEqual({ kind: 'skip' });
  expect(decideClaim(undefined, now, 5_000)).toEqual({ kind: 'skip' });
});
