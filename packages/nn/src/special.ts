// biome-ignore-all lint/correctness/noPrecisionLoss: Cody's coefficients as published (18 digits), so they can be checked against the source; float64 rounds them.
/**
 * Special functions for the SELU moment formulas: the complementary error function and its scaled form.
 *
 * Both use W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev approximations for the
 * error function", Math. Comp. 23 (1969) 631–637; the coefficients of netlib SPECFUN's CALERF, 1985–1987),
 * accurate to a few units in the last place of a float64 over the whole real line.
 */

// erf on |x| ≤ 0.46875: x·P(x²)/Q(x²).
const A = [
  3.1611237438705656, 113.86415415105016, 377.485237685302021, 3209.37758913846947, 0.185777706184603153,
];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
// erfcx on 0.46875 < x ≤ 4: P(x)/Q(x).
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
// erfcx on x > 4: (1/√π − x⁻²·P(x⁻²)/Q(x⁻²)) / x.
const P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4, 0.0163153871373020978,
];
const Q = [
  2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191,
  0.00233520497626869185,
];

const INV_SQRT_PI = 0.56418958354775628695;
const THRESH = 0.46875;

/** erf(x) for |x| ≤ 0.46875. */
function erfSmall(x: number): number {
  const z = x * x;
  let num = A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * z;
    den = (den + B[i]) * z;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** erfcx(y) = e^{y²}·erfc(y) for y > 0.46875. */
function erfcxPositive(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  // Beyond 6.71e7 the correction is below rounding; 1/(y√π) is exact to float64.
  if (y >= 6.71e7) return INV_SQRT_PI / y;
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  const r = (z * (num + P[4])) / (den + Q[4]);
  return (INV_SQRT_PI - r) / y;
}

/**
 * e^{−y²} computed as e^{−t²}·e^{−(y−t)(y+t)} with t = y rounded down to 1/16, so that the rounding error
 * of y² is not amplified by the exponential (Cody's trick).
 */
function expMinusSquare(y: number): number {
  const t = Math.trunc(y * 16) / 16;
  return Math.exp(-t * t) * Math.exp(-(y - t) * (y + t));
}

/**
 * The complementary error function, erfc(x) = 1 − erf(x) = (2/√π)·∫ₓ^∞ e^{−t²} dt.
 *
 * Accurate to a few ulp everywhere (Cody 1969), including the tail where 1 − erf(x) would cancel;
 * underflows to 0 beyond x ≈ 27.3 and rounds to 2 below x ≈ −6.
 *
 * @example erfc(0) === 1; erfc(1) ≈ 0.15729920705028513
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= THRESH) return 1 - erfSmall(x);
  // erfc(27.3) < 2⁻¹⁰⁷⁴, the smallest subnormal; this also keeps ±Infinity out of expMinusSquare.
  if (y > 27.3) return x < 0 ? 2 : 0;
  const tail = expMinusSquare(y) * erfcxPositive(y);
  return x < 0 ? 2 - tail : tail;
}

/**
 * The scaled complementary error function, erfcx(x) = e^{x²}·erfc(x).
 *
 * Finite and accurate for large positive x, where erfcx(x) ≈ 1/(x√π) while e^{x²} and erfc(x) alone
 * overflow and underflow. That is what lets e^{m+v/2}·erfc((m+v)/√(2v)) in the SELU moments be evaluated
 * as e^{−m²/(2v)}·erfcx((m+v)/√(2v)) without ever forming ∞·0. Overflows to Infinity below x ≈ −26.6.
 *
 * @example erfcx(0) === 1; erfcx(1e10) ≈ 5.6418958354775628e-11
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= THRESH) return Math.exp(x * x) * (1 - erfSmall(x));
  const r = erfcxPositive(y);
  if (x > 0) return r;
  // erfcx(−y) = 2·e^{y²} − erfcx(y); e^{y²} overflows for y > 26.64.
  if (y > 26.7) return Number.POSITIVE_INFINITY;
  const t = Math.trunc(y * 16) / 16;
  return 2 * Math.exp(t * t) * Math.exp((y - t) * (y + t)) - r;
}
