import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';

describe('parseArgs', () => {
  it('defaults to every workload and framework, 30 reps after 3 warm-ups', () => {
    const o = parseArgs([]);
    expect([o.reps, o.warmup, o.quick]).toEqual([30, 3, false]);
    expect(o.workloads).toEqual(['W1', 'W2a', 'W2b', 'W3', 'W4']);
    expect(o.frameworks).toEqual([
      'selfnorm',
      'selfnorm-1t',
      'selfnorm-kernels',
      'selfnorm-webgpu',
      'tfjs-cpu',
      'tfjs-wasm',
      'jax-wasm',
      'pytorch',
      'pytorch-1t',
    ]);
  });
  it('reads --quick, --only, --frameworks and --reps (with = or a separate value)', () => {
    const o = parseArgs(['--quick', '--only=W1,W3', '--frameworks', 'selfnorm,jax-wasm', '--reps', '7']);
    expect([o.reps, o.warmup, o.quick]).toEqual([7, 1, true]);
    expect(o.workloads).toEqual(['W1', 'W3']);
    expect(o.frameworks).toEqual(['selfnorm', 'jax-wasm']);
  });
  it('names the bad value and what would be right', () => {
    expect(() => parseArgs(['--only', 'W9'])).toThrow(/unknown "W9".*W1,W2a,W2b,W3,W4/);
    expect(() => parseArgs(['--reps', '0'])).toThrow(/--reps: expected an integer >= 1, got "0"/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
  });
});
