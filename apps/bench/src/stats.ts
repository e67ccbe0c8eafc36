/** Timing: medians of repeated runs after warm-up. */

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median: empty list');
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Runs `fn` untimed `warmup` times and for at least `warmupMs` milliseconds (so that the engine has tiered
 * up its JIT and wasm code and the heap has reached its working size, however short one run is), then
 * timed `reps` times and for at least `minMs` milliseconds (so that a fast workload's median spans more
 * than a moment of a shared machine); returns the median in milliseconds. With `maxMs`, a slow workload stops
 * early: warm-up after one run once it has lasted maxMs, timing after one timed run once the timed runs have
 * (so a framework that takes minutes per run gives its figure in minutes rather than hours).
 * @example const ms = await timeMedian(() => work(), { warmup: 3, warmupMs: 1000, reps: 30, minMs: 3000 });
 */
export async function timeMedian(
  fn: () => unknown | Promise<unknown>,
  {
    warmup,
    reps,
    warmupMs = 0,
    minMs = 0,
    maxMs = Number.POSITIVE_INFINITY,
  }: { warmup: number; reps: number; warmupMs?: number; minMs?: number; maxMs?: number },
): Promise<number> {
  const start = performance.now();
  const since = (t: number) => performance.now() - t;
  for (let i = 0; (i < warmup || since(start) < warmupMs) && !(i >= 1 && since(start) >= maxMs); i++)
    await fn();
  const times: number[] = [];
  const timed = performance.now();
  for (let i = 0; (i < reps || since(timed) < minMs) && !(i >= 1 && since(timed) >= maxMs); i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}
