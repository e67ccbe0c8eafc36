import { Rng, type Tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import {
  constantInit,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  init,
  lecunNormal,
  lecunUniform,
  onesInit,
  TRUNCATED_NORMAL_STD,
  varianceScaling,
  zerosInit,
} from './init';

const N = 1_000_000;

function moments(t: Tensor): { mean: number; variance: number; maxAbs: number } {
  const d = t.data;
  let sum = 0;
  let sq = 0;
  let maxAbs = 0;
  for (let i = 0; i < d.length; i++) {
    sum += d[i];
    sq += d[i] * d[i];
    maxAbs = Math.max(maxAbs, Math.abs(d[i]));
  }
  const mean = sum / d.length;
  return { mean, variance: sq / d.length - mean * mean, maxAbs };
}

// 10⁶ draws: the sample variance has relative standard error √(2/N) ≈ 0.14% (normal) or less (uniform,
// truncated), so 2% is > 10 standard errors; the mean's standard error is σ/√N = σ/1000.
describe('variance scaling: variance × fan is 1 within 2% over 10⁶ draws', () => {
  const fanIn = 784;
  const fanOut = 256;
  const cases: [string, ReturnType<typeof lecunNormal>, number][] = [
    ['lecunNormal', lecunNormal({ rng: new Rng(1) }), 1 / fanIn],
    ['lecunNormal truncated', lecunNormal({ rng: new Rng(2), truncated: true }), 1 / fanIn],
    ['lecunUniform', lecunUniform({ rng: new Rng(3) }), 1 / fanIn],
    ['heNormal', heNormal({ rng: new Rng(4) }), 2 / fanIn],
    ['heNormal truncated', heNormal({ rng: new Rng(5), truncated: true }), 2 / fanIn],
    ['heUniform', heUniform({ rng: new Rng(6) }), 2 / fanIn],
    ['glorotNormal', glorotNormal({ rng: new Rng(7) }), 2 / (fanIn + fanOut)],
    ['glorotNormal truncated', glorotNormal({ rng: new Rng(8), truncated: true }), 2 / (fanIn + fanOut)],
    ['glorotUniform', glorotUniform({ rng: new Rng(9) }), 2 / (fanIn + fanOut)],
    ['fanOut, scale 3', varianceScaling({ rng: new Rng(10), scale: 3, mode: 'fanOut' }), 3 / fanOut],
  ];
  it.each(cases)('%s', (_name, initializer, variance) => {
    const w = initializer([1000, 1000], { fanIn, fanOut });
    expect(w.shape).toEqual([1000, 1000]);
    expect(w.dtype).toBe('float32');
    const m = moments(w);
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.mean)).toBeLessThan((5 * Math.sqrt(variance)) / Math.sqrt(N));
  });
});

describe('truncated normal', () => {
  it('never draws beyond 2σ′ = 2σ/0.8796…, and does reach close to the cut', () => {
    const fanIn = 100;
    const w = lecunNormal({ rng: new Rng(11), truncated: true })([N], { fanIn });
    const cut = (2 * Math.sqrt(1 / fanIn)) / TRUNCATED_NORMAL_STD;
    const { maxAbs, variance } = moments(w);
    expect(maxAbs).toBeLessThanOrEqual(Math.fround(cut));
    expect(maxAbs).toBeGreaterThan(0.999 * cut);
    // Without the 0.8796 correction (TensorFlow.js) the variance would be 0.774/fanIn.
    expect(Math.abs(variance * fanIn - 1)).toBeLessThan(0.02);
  });

  it('uses the standard deviation of N(0, 1) truncated to [−2, 2]', () => {
    // Var = 1 − 4φ(2)/erf(√2); with φ(2) = e⁻²/√(2π) and erf(√2) = 0.9544997361036416.
    const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    expect(TRUNCATED_NORMAL_STD).toBeCloseTo(Math.sqrt(1 - (4 * phi2) / 0.9544997361036416), 15);
  });
});

describe('lecunNormal', () => {
  it('is untruncated by default: draws beyond 2σ occur at the normal rate 4.55%', () => {
    const fanIn = 64;
    const w = lecunNormal({ rng: new Rng(12) })([N], { fanIn });
    const sigma = Math.sqrt(1 / fanIn);
    let beyond = 0;
    for (const x of w.data) if (Math.abs(x) > 2 * sigma) beyond++;
    // P(|z| > 2) = 0.0455003; binomial standard error √(p(1−p)/N) ≈ 2.1e-4.
    expect(Math.abs(beyond / N - 0.0455003)).toBeLessThan(1.1e-3);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = lecunNormal({ rng: new Rng(5) })([4, 3]).toArray();
    const b = lecunNormal({ rng: new Rng(5) })([4, 3]).toArray();
    const c = lecunNormal({ rng: new Rng(6) })([4, 3]).toArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe('fans', () => {
  it('reads a 2-D shape as [out, in] when fans are not given', () => {
    const w = varianceScaling({ rng: new Rng(13), mode: 'fanIn', distribution: 'uniform' })([3, 400]);
    // limit = √(3/fanIn) = √(3/400) with fanIn = shape[1]
    expect(moments(w).maxAbs).toBeLessThanOrEqual(Math.sqrt(3 / 400));
    expect(moments(w).maxAbs).toBeGreaterThan(0.9 * Math.sqrt(3 / 400));
    const v = varianceScaling({ rng: new Rng(13), mode: 'fanOut', distribution: 'uniform' })([400, 3]);
    expect(moments(v).maxAbs).toBeGreaterThan(0.9 * Math.sqrt(3 / 400));
  });

  it('prefers explicit fans over the shape', () => {
    const w = lecunUniform({ rng: new Rng(14) })([20, 20], { fanIn: 10000 });
    expect(moments(w).maxAbs).toBeLessThanOrEqual(Math.sqrt(3 / 10000));
  });

  it('refuses to guess fans from a shape that is not 2-D, and refuses bad fans', () => {
    const f = lecunNormal({ rng: new Rng(15) });
    expect(() => f([3, 3, 3])).toThrow(/pass fanIn explicitly for shape \[3, 3, 3\]/);
    expect(() => f([5])).toThrow(/pass fanIn explicitly/);
    expect(() => glorotUniform({ rng: new Rng(1) })([5], { fanIn: 5 })).toThrow(/pass fanOut explicitly/);
    expect(() => f([5], { fanIn: 0 })).toThrow(/fanIn must be a positive integer, got 0/);
    expect(() => f([5], { fanIn: 2.5 })).toThrow(/fanIn must be a positive integer/);
    expect(() => f([2, -1])).toThrow(/non-negative integers/);
  });
});

describe('options', () => {
  it('creates float64 tensors on request', () => {
    const w = heNormal({ rng: new Rng(16) })([8, 8], { dtype: 'float64' });
    expect(w.dtype).toBe('float64');
    expect(w.data).toBeInstanceOf(Float64Array);
  });

  it('rejects a bad scale, mode, distribution or a missing rng, at the call', () => {
    const rng = new Rng(0);
    expect(() => varianceScaling({ rng, scale: 0 })).toThrow(/scale must be a finite number > 0, got 0/);
    // @ts-expect-error: checking the runtime error for an untyped caller
    expect(() => varianceScaling({ rng, mode: 'fan_in' })).toThrow(
      /mode must be 'fanIn', 'fanOut' or 'fanAvg'/,
    );
    // @ts-expect-error: checking the runtime error for an untyped caller
    expect(() => varianceScaling({ rng, distribution: 'gaussian' })).toThrow(/distribution must be/);
    // @ts-expect-error: checking the runtime error for an untyped caller
    expect(() => lecunNormal({})).toThrow(/pass a seeded generator/);
  });
});

describe('constant initializers', () => {
  it('fill with 0, 1 or a value, whatever the shape', () => {
    expect(zerosInit()([2, 2]).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(onesInit()([3]).toArray()).toEqual([1, 1, 1]);
    expect(constantInit(0.5)([2, 1, 2], { dtype: 'float64' }).toArray()).toEqual([
      [[0.5, 0.5]],
      [[0.5, 0.5]],
    ]);
    expect(() => constantInit(Number.NaN)).toThrow(/value must be a finite number/);
  });

  it('are all reachable through the init namespace', () => {
    expect(init.zeros()([2]).toArray()).toEqual([0, 0]);
    expect(init.ones()([2]).toArray()).toEqual([1, 1]);
    expect(init.lecunNormal).toBe(lecunNormal);
    expect(Object.keys(init).sort()).toEqual(
      [
        'constant',
        'glorotNormal',
        'glorotUniform',
        'heNormal',
        'heUniform',
        'lecunNormal',
        'lecunUniform',
        'ones',
        'varianceScaling',
        'zeros',
      ].sort(),
    );
  });
});
