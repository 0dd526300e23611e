import { isDue } from './due.js';

describe('isDue', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

  it('accepts a run due in the past or now', () => {
    expect(isDue(at(-1), now, 0)).toBe(true);
    expect(isDue(now, now, 0)).toBe(true);
  });

  it('accepts a run due up to the skew allowance ahead of this clock, not beyond', () => {
    expect(isDue(at(5_000), now, 5_000)).toBe(true);
    expect(isDue(at(5_001), now, 5_000)).toBe(false);
    expect(isDue(at(1), now, 0)).toBe(false);
  });
});
