// biome-ignore-all lint/correctness/noPrecisionLoss: reference values quoted at 20 digits from a 40-digit mpmath computation.
import { describe, expect, it } from 'vitest';
import { erfc, erfcx } from './special';

// Reference values from mpmath at 40 significant digits (erfc(x) and exp(x²)·erfc(x)), rounded to 20.
const ERFC: [number, number][] = [
  [-5, 1.9999999999984625402],
  [-1.5, 1.9661051464753107271],
  [-0.3, 1.3286267594591274276],
  [0, 1],
  [1e-10, 0.99999999988716208329],
  [0.2, 0.77729741078952154586],
  [0.46875, 0.50738652678206200841],
  [0.5, 0.47950012218695346232],
  [1, 0.15729920705028513066],
  [2.5, 0.00040695201744495893956],
  [4, 1.5417257900280018852e-8],
  [4.5, 1.9661604415428874763e-10],
  [10, 2.088487583762544757e-45],
  [26, 5.6631924088561428465e-296],
];

const ERFCX: [number, number][] = [
  [-5, 144009798674.66104041],
  [-1.5, 18.653886256262733939],
  [-0.3, 1.4537492328427655735],
  [0, 1],
  [1e-10, 0.9999999998871620833],
  [0.2, 0.80901951990158074176],
  [0.46875, 0.63206968924955607816],
  [0.5, 0.61569034419292587487],
  [1, 0.42758357615580700441],
  [2.5, 0.21080636406114358065],
  [4, 0.13699945762506138989],
  [4.5, 0.12248480427384141755],
  [10, 0.056140992743822585858],
  [26, 0.021683584850562906616],
  [30, 0.018795888861416751497],
  [1e5, 5.6418958351954680777e-6],
  [1e10, 5.6418958354775628695e-11],
];

const relErr = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('erfc', () => {
  it.each(ERFC)('erfc(%d) matches a 40-digit reference to 4e-16 relative', (x, want) => {
    expect(relErr(erfc(x), want)).toBeLessThan(4e-16);
  });

  it('is 0 far in the right tail, 2 far in the left, NaN for NaN', () => {
    expect(erfc(30)).toBe(0);
    expect(erfc(1e300)).toBe(0);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(erfc(Number.NaN)).toBeNaN();
  });

  it('satisfies erfc(−x) = 2 − erfc(x)', () => {
    for (const x of [0.1, 0.7, 1.3, 3.9, 4.2, 6]) expect(erfc(-x)).toBeCloseTo(2 - erfc(x), 15);
  });
});

describe('erfcx', () => {
  it.each(ERFCX)('erfcx(%d) matches a 40-digit reference to 4e-16 relative', (x, want) => {
    expect(relErr(erfcx(x), want)).toBeLessThan(4e-16);
  });

  it('agrees with exp(x²)·erfc(x) where both are representable', () => {
    for (const x of [-2, -0.4, 0.3, 0.9, 2, 3.5, 5, 12]) {
      expect(relErr(erfcx(x), Math.exp(x * x) * erfc(x))).toBeLessThan(1e-14);
    }
  });

  it('is finite for huge positive x and overflows only for very negative x', () => {
    expect(erfcx(Number.MAX_VALUE)).toBeGreaterThan(0);
    expect(Number.isFinite(erfcx(1e300))).toBe(true);
    expect(erfcx(-27)).toBe(Number.POSITIVE_INFINITY);
    expect(erfcx(Number.NEGATIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(erfcx(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfcx(Number.NaN)).toBeNaN();
  });
});
