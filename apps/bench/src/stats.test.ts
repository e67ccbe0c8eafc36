import { describe, expect, it } from 'vitest';
import { median, timeMedian } from './stats';

describe('stats', () => {
  it('median of odd and even counts, and refuses an empty list', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty list/);
  });

  it('timeMedian warms up for warmup runs and warmupMs, then times reps runs and minMs', async () => {
    let calls = 0;
    await timeMedian(() => calls++, { warmup: 2, reps: 5 });
    expect(calls).toBe(7);
    calls = 0;
    const ms = await timeMedian(
      () => {
        calls++;
      },
      { warmup: 1, reps: 3, warmupMs: 30 },
    );
    expect(calls).toBeGreaterThan(4); // the warm-up kept going for 30 ms of near-instant calls
    expect(ms).toBeGreaterThanOrEqual(0);
    calls = 0;
    await timeMedian(() => calls++, { warmup: 0, reps: 2, minMs: 30 });
    expect(calls).toBeGreaterThan(2); // the timed runs too
  });

  it('timeMedian with maxMs stops a slow workload after one warm-up and one timed run', async () => {
    let calls = 0;
    const slow = () => {
      calls++;
      const t = performance.now();
      while (performance.now() - t < 5) {
        // a 5 ms run: slower than maxMs allows for 30 reps
      }
    };
    await timeMedian(slow, { warmup: 3, reps: 30, maxMs: 4 });
    expect(calls).toBe(1 + 1);
  });
});
