/**
 * The SELU constants and the paper's moment map g: how a SELU layer transforms the mean and variance of its
 * inputs, its Jacobian, and the solver for the (α, λ) that make a chosen (mean, variance) a fixed point.
 *
 * Source: Klambauer, Unterthiner, Mayr, Hochreiter, "Self-Normalizing Neural Networks", NeurIPS 2017
 * (arXiv 1706.02515), Eq. (4)–(5), Theorem 1 and its appendix. Pure float64 number math; no tensors.
 */
import { SELU_ALPHA, SELU_LAMBDA } from '@selfnorm/tensor';
import { erfc, erfcx } from './special';

/**
 * SELU's α01 = 1.6732632423543772848170429916717… and λ01 = 1.0507009873554804934193349852946…, the values
 * for which mean 0, variance 1 is the fixed point (Klambauer et al. 2017, Eq. 14). Defined once, in
 * `@selfnorm/tensor` (whose `selu` kernel uses them), and re-exported here beside the science they come from.
 */
export { SELU_ALPHA, SELU_LAMBDA } from '@selfnorm/tensor';

/** Input moments and weight moments of one SELU unit, z = Σᵢ wᵢxᵢ ~ N(mean·omega, variance·tau). */
export interface SeluMomentsOptions {
  /** μ, the mean of the layer's inputs xᵢ. */
  mean: number;
  /** ν > 0, the variance of the layer's inputs xᵢ. */
  variance: number;
  /** ω = Σᵢ wᵢ, the sum of the unit's weights (0 for a centred init). Default 0. */
  omega?: number;
  /** τ = Σᵢ wᵢ² > 0, the sum of squared weights (1 for LeCun init). Default 1. */
  tau?: number;
  /** SELU's α. Default SELU_ALPHA. */
  alpha?: number;
  /** SELU's λ. Default SELU_LAMBDA. */
  lambda?: number;
}

/** The output moments of selu(z): its mean μ̃, second moment ξ̃ = E[selu(z)²] and variance ν̃ = ξ̃ − μ̃². */
export interface SeluMoments {
  mean: number;
  secondMoment: number;
  variance: number;
}

/** Expectations of pieces of z ~ N(m, v) from which every SELU moment (and derivative) is assembled. */
interface GaussianPieces {
  /** P(z > 0). */
  pPos: number;
  /** P(z ≤ 0). */
  pNeg: number;
  /** E[z·1{z>0}]. */
  z1: number;
  /** E[z²·1{z>0}]. */
  z2: number;
  /** E[eᶻ·1{z≤0}]. */
  e1: number;
  /** E[e²ᶻ·1{z≤0}]. */
  e2: number;
  /** The density of z at 0. */
  density0: number;
}

/**
 * NOTE: E[eᵏᶻ·1{z≤0}] = ½·e^{km + k²v/2}·erfc((m + kv)/√(2v)). The exponential overflows and erfc
 * underflows once m + kv is large; with (m + kv)²/(2v) = m²/(2v) + km + k²v/2 the product is
 * ½·e^{−m²/(2v)}·erfcx((m + kv)/√(2v)), which stays finite (and goes to 0, not NaN) for any m, v.
 */
function truncatedExp(m: number, v: number, k: number): number {
  const s = Math.sqrt(2 * v);
  const u = (m + k * v) / s;
  if (u >= 0) return 0.5 * Math.exp((-m * m) / (2 * v)) * erfcx(u);
  return 0.5 * Math.exp(k * m + (k * k * v) / 2) * erfc(u); // here km + k²v/2 < 0: no overflow
}

function gaussianPieces(m: number, v: number): GaussianPieces {
  const s = Math.sqrt(2 * v);
  const pPos = 0.5 * erfc(-m / s); // = ½(2 − erfc(m/s)) without cancellation for m ≪ 0
  const pNeg = 0.5 * erfc(m / s);
  const density0 = Math.exp((-m * m) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
  return {
    pPos,
    pNeg,
    z1: m * pPos + v * density0,
    z2: (m * m + v) * pPos + m * v * density0,
    e1: truncatedExp(m, v, 1),
    e2: truncatedExp(m, v, 2),
    density0,
  };
}

function requireFinite(fn: string, name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be a finite number, got ${value}`);
}

function requirePositive(fn: string, name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${fn}: ${name} must be a finite number > 0, got ${value}`);
  }
}

interface Resolved {
  m: number;
  v: number;
  omega: number;
  tau: number;
  alpha: number;
  lambda: number;
}

function resolve(fn: string, o: SeluMomentsOptions): Resolved {
  const { mean, variance, omega = 0, tau = 1, alpha = SELU_ALPHA, lambda = SELU_LAMBDA } = o;
  requireFinite(fn, 'mean', mean);
  requirePositive(fn, 'variance', variance);
  requireFinite(fn, 'omega', omega);
  requirePositive(fn, 'tau', tau);
  requireFinite(fn, 'alpha', alpha);
  requireFinite(fn, 'lambda', lambda);
  const m = mean * omega;
  const v = variance * tau;
  if (!Number.isFinite(m)) throw new RangeError(`${fn}: mean·omega = ${m} is not finite; use smaller inputs`);
  requirePositive(fn, 'variance·tau', v);
  return { m, v, omega, tau, alpha, lambda };
}

/** μ̃ and ξ̃ from the pieces: μ̃ = λ(E[z⁺] + α(E[eᶻ;z≤0] − P(z≤0))), ξ̃ = λ²(E[z²;z>0] + α²E[(eᶻ−1)²;z≤0]). */
function moments(g: GaussianPieces, alpha: number, lambda: number): SeluMoments {
  const mean = lambda * (g.z1 + alpha * (g.e1 - g.pNeg));
  const secondMoment = lambda * lambda * (g.z2 + alpha * alpha * (g.e2 - 2 * g.e1 + g.pNeg));
  return { mean, secondMoment, variance: secondMoment - mean * mean };
}

/**
 * The paper's layer map g: the mean, second moment and variance of selu(z) for z ~ N(μω, ντ).
 *
 * With m = μω, v = ντ, s = √(2v):
 * μ̃ = (λ/2)[−(α + m)·erfc(m/s) + α·e^{m+v/2}·erfc((m+v)/s) + √(2/π)·√v·e^{−m²/(2v)} + 2m],
 * ξ̃ = (λ²/2)[(m² + v)(2 − erfc(m/s)) + α²(−2e^{m+v/2}erfc((m+v)/s) + e^{2(m+v)}erfc((m+2v)/s) + erfc(m/s))
 *      + √(2/π)·m·√v·e^{−m²/(2v)}],  ν̃ = ξ̃ − μ̃²  (Klambauer et al. 2017, Eq. 4–5).
 * Evaluated through erfcx, so it is finite for any finite input (e^{m+v/2} is never formed).
 * NOTE: ν̃ = ξ̃ − μ̃² loses relative precision when |μ̃| ≫ √ν̃ (e.g. m = 1e6, v = 1).
 *
 * @example seluMoments({ mean: 0, variance: 1 }) // { mean: ≈0, secondMoment: ≈1, variance: ≈1 }
 */
export function seluMoments(options: SeluMomentsOptions): SeluMoments {
  const r = resolve('seluMoments', options);
  return moments(gaussianPieces(r.m, r.v), r.alpha, r.lambda);
}

/** The Jacobian of g with respect to the input moments, and its spectral norm. */
export interface SeluJacobian {
  /** [[∂μ̃/∂μ, ∂μ̃/∂ν], [∂ν̃/∂μ, ∂ν̃/∂ν]]. */
  matrix: [[number, number], [number, number]];
  /** The largest singular value; below 1 means g contracts towards its fixed point. */
  spectralNorm: number;
}

/**
 * The Jacobian of g: (μ, ν) ↦ (μ̃, ν̃) at fixed ω, τ, and its spectral norm (largest singular value).
 *
 * For z ~ N(m, v): ∂E[f(z)]/∂m = E[f′(z)] and ∂E[f(z)]/∂v = ½E[f″(z)] (f″ including the δ at SELU's kink,
 * weight λ(1 − α)); then ∂/∂μ = ω·∂/∂m, ∂/∂ν = τ·∂/∂v and ∂ν̃ = ∂ξ̃ − 2μ̃·∂μ̃. The paper's Theorem 1:
 * at (μ, ν) = (0, 1), ω = 0, τ = 1 the spectral norm is 0.7877 < 1, so (0, 1) is attracting.
 *
 * @example seluJacobian({ mean: 0, variance: 1 }).spectralNorm // ≈ 0.78767
 */
export function seluJacobian(options: SeluMomentsOptions): SeluJacobian {
  const { m, v, omega, tau, alpha, lambda } = resolve('seluJacobian', options);
  const g = gaussianPieces(m, v);
  const { mean } = moments(g, alpha, lambda);
  const l2a2 = lambda * lambda * alpha * alpha;
  // f = selu: f′ = λ on z > 0, λαeᶻ on z ≤ 0; f″ = λαeᶻ on z ≤ 0 plus λ(1 − α)·δ(z).
  const dMeanDm = lambda * g.pPos + lambda * alpha * g.e1;
  const dMeanDv = 0.5 * (lambda * alpha * g.e1 + lambda * (1 - alpha) * g.density0);
  // (f²)′ = 2λ²z on z > 0, 2λ²α²(e²ᶻ − eᶻ) on z ≤ 0; (f²)″ = 2λ² on z > 0, 2λ²α²(2e²ᶻ − eᶻ) on z ≤ 0.
  const dSecondDm = 2 * lambda * lambda * g.z1 + 2 * l2a2 * (g.e2 - g.e1);
  const dSecondDv = lambda * lambda * g.pPos + l2a2 * (2 * g.e2 - g.e1);
  const a = omega * dMeanDm;
  const b = tau * dMeanDv;
  const c = omega * (dSecondDm - 2 * mean * dMeanDm);
  const d = tau * (dSecondDv - 2 * mean * dMeanDv);
  // Largest eigenvalue of JᵀJ = [[p, q], [q, r]].
  const p = a * a + c * c;
  const q = a * b + c * d;
  const r = b * b + d * d;
  const spectralNorm = Math.sqrt((p + r) / 2 + Math.hypot((p - r) / 2, q));
  return {
    matrix: [
      [a, b],
      [c, d],
    ],
    spectralNorm,
  };
}

/** Options of seluParameters: the target fixed point and the weight moments. */
export interface SeluParametersOptions {
  /** μ*, the mean to keep fixed. */
  mean: number;
  /** ν* > 0, the variance to keep fixed. */
  variance: number;
  /** ω = Σᵢ wᵢ. Default 0 (the authors' helper silently uses 1; see SNN notes). */
  omega?: number;
  /** τ = Σᵢ wᵢ². Default 1. */
  tau?: number;
  /** Newton iterations before giving up. Default 100. */
  maxIterations?: number;
}

/**
 * Solves g(μ*, ν*) = (μ*, ν*) for SELU's (α, λ): the activation that keeps a chosen mean and variance fixed.
 *
 * Newton's method on F(α, λ) = (μ̃ − μ*, ν̃ − ν*) from (1.67, 1.05), with the analytic 2×2 Jacobian
 * (∂μ̃/∂λ = μ̃/λ, ∂ξ̃/∂λ = 2ξ̃/λ, ∂μ̃/∂α = λ(E[eᶻ;z≤0] − P(z≤0)), ∂ξ̃/∂α = 2λ²α·E[(eᶻ−1)²;z≤0]) and step
 * halving when a full step does not reduce |F|. Source: Klambauer et al. 2017, Sec. 3 ("other fixed points").
 * Throws if it does not converge to a solution with α > 0, λ > 0 (|F| ≤ 1e-12·(1 + |μ*| + ν*)).
 *
 * @example seluParameters({ mean: 0, variance: 2 }) // { alpha: 1.9712557503462689, lambda: 1.0607090761030122 }
 */
export function seluParameters(options: SeluParametersOptions): { alpha: number; lambda: number } {
  const fn = 'seluParameters';
  const { mean, variance, omega = 0, tau = 1, maxIterations = 100 } = options;
  const r = resolve(fn, { mean, variance, omega, tau });
  const g = gaussianPieces(r.m, r.v);
  const negPart = g.e1 - g.pNeg; // E[eᶻ − 1; z ≤ 0]
  const negSquare = g.e2 - 2 * g.e1 + g.pNeg; // E[(eᶻ − 1)²; z ≤ 0]
  const residual = (alpha: number, lambda: number): [number, number, SeluMoments] => {
    const mo = moments(g, alpha, lambda);
    return [mo.mean - mean, mo.variance - variance, mo];
  };
  const scale = 1 + Math.abs(mean) + variance;
  let alpha = 1.67;
  let lambda = 1.05;
  let [f1, f2, mo] = residual(alpha, lambda);
  for (let it = 0; it < maxIterations; it++) {
    const dMuDa = lambda * negPart;
    const dMuDl = mo.mean / lambda;
    const dNuDa = 2 * lambda * lambda * alpha * negSquare - 2 * mo.mean * dMuDa;
    const dNuDl = (2 * mo.secondMoment) / lambda - 2 * mo.mean * dMuDl;
    const det = dMuDa * dNuDl - dMuDl * dNuDa;
    if (!Number.isFinite(det) || det === 0) break;
    const stepA = (f1 * dNuDl - f2 * dMuDl) / det;
    const stepL = (dMuDa * f2 - dNuDa * f1) / det;
    const norm = Math.hypot(f1, f2);
    let t = 1;
    let next = residual(alpha - stepA, lambda - stepL);
    while (!(Math.hypot(next[0], next[1]) <= norm) && t > 1e-6) {
      t /= 2;
      next = residual(alpha - t * stepA, lambda - t * stepL);
    }
    alpha -= t * stepA;
    lambda -= t * stepL;
    [f1, f2, mo] = next;
    const stepped =
      Math.abs(t * stepA) <= 1e-14 * Math.abs(alpha) && Math.abs(t * stepL) <= 1e-14 * Math.abs(lambda);
    const err = Math.hypot(f1, f2);
    // Converged: the residual is at rounding level, or Newton has stopped moving with a small residual.
    if (err <= 4e-16 * scale || (stepped && err <= 1e-12 * scale)) break;
  }
  if (Math.hypot(f1, f2) <= 1e-12 * scale && alpha > 0 && lambda > 0) return { alpha, lambda };
  throw new RangeError(
    `${fn}: Newton's method did not converge for mean ${mean}, variance ${variance}, omega ${omega}, tau ${tau} ` +
      `(last alpha ${alpha}, lambda ${lambda}, residual (${f1}, ${f2})); no SELU with α > 0, λ > 0 was found ` +
      'that makes this a fixed point — choose a target closer to (0, 1) or different weight moments',
  );
}
