import { setTimeout as sleep } from 'node:timers/promises';
import { mapLimit } from './map-limit.js';

describe('mapLimit', () => {
  it('keeps order and never exceeds the limit', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([30, 10, 20, 5, 15], 2, async (ms, i) => {
      peak = Math.max(peak, ++running);
      await sleep(ms);
      running--;
      return i * 2;
    });
    expect(out).toEqual([0, 2, 4, 6, 8]);
    expect(peak).toBe(2);
  });

  it('starts nothing new after a failure and settles running calls before throwing', async () => {
    const started: number[] = [];
    let finished = 0;
    const run = mapLimit([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      if (i === 0) throw new Error('first failed');
      await sleep(20);
      finished++;
      return i;
    });
    await expect(run).rejects.toThrow('first failed');
    expect(started).toEqual([0, 1]);
    expect(finished).toBe(1);
  });

  it('handles an empty list', async () => {
    await expect(mapLimit([], 3, async () => 1)).resolves.toEqual([]);
  });
});
