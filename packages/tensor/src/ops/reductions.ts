/** Reductions composed from primitives: mean, variance, std, logSumExp, softmax, logSoftmax. */
import { noGrad } from '../autograd/grad-mode';
import { add, div, mul, sub } from '../primitives/binary';
import { eq } from '../primitives/compare';
import { type Axis, checkReduction, max, type ReduceOptions, sum } from '../primitives/reduce';
import { exp, log, sqrt } from '../primitives/unary';
import { reshape } from '../primitives/view';
import { where } from '../primitives/where';
import { normalizeAxes, normalizeAxis, reducedShape } from '../shape';
import type { Tensor } from '../tensor';

function countOf(x: Tensor, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * x.shape[a], 1);
}

/** Arithmetic mean over `axis` (all when omitted). @example mean(x, 0) */
export function mean(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  checkReduction(x, options, 'mean');
  const axes = normalizeAxes(axis, x.ndim, 'mean');
  return div(sum(x, axes, options), countOf(x, axes));
}

export interface VarianceOptions extends ReduceOptions {
  /**
   * Subtracted from the count in the denominator: 1 (default, unbiased, like PyTorch), 0 (population), or
   * any other non-negative number.
   */
  correction?: number;
}

/** Variance Σ(x − mean)² / (n − correction) over `axis` (all when omitted); correction defaults to 1. */
export function variance(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  return varianceOf(x, axis, options, 'variance');
}

function varianceOf(x: Tensor, axis: Axis, options: VarianceOptions, op: string): Tensor {
  checkReduction(x, options, op);
  const correction = options.correction === undefined ? 1 : options.correction;
  const axes = normalizeAxes(axis, x.ndim, op);
  const n = countOf(x, axes);
  const centered = sub(x, mean(x, axes, { keepDims: true }));
  return div(sum(mul(centered, centered), axes, options), Math.max(n - correction, 0));
}

/** Standard deviation √variance over `axis`; same options as `variance`. */
export function std(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  return sqrt(varianceOf(x, axis, options, 'std'));
}

/**
 * log Σ exp(x) over `axis`, stable for large inputs: m + log Σ exp(x − m) with m the max taken as a
 * constant, which leaves the gradient (softmax) unchanged.
 */
export function logSumExp(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes(axis, x.ndim, 'logSumExp');
  // A constant, computed without recording: a recorded max (even detached) is a node no backward() reaches,
  // which would keep x saved forever, so that x.dispose() could never give its storage back.
  const m = noGrad(() => finiteOrZero(max(x, axes, { keepDims: true })));
  const lse = add(log(sum(exp(sub(x, m)), axes, { keepDims: true })), m);
  return options.keepDims ? lse : reshape(lse, reducedShape(x.shape, axes, false));
}

/** m where it is finite, 0 where it is ±∞ or NaN (m − m is 0 exactly for finite m), so that ∞ − ∞ cannot make NaN. */
function finiteOrZero(m: Tensor): Tensor {
  return where(eq(sub(m, m), 0), m, 0);
}

/** softmax along `axis` (default the last): exp(x − logSumExp(x)). */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkReduction(x, undefined, 'softmax');
  return exp(logSoftmax(x, axis));
}

/**
 * log softmax along `axis` (default the last): (x − m) − log Σ exp(x − m) with m the (detached) max, stable
 * for logits of any size. NOTE: not x − logSumExp(x): in float32, m + log Σ… rounds away the small term
 * for |x| ≳ 1e4 (the difference of two large numbers), while x − m is exact near the max.
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkReduction(x, undefined, 'logSoftmax');
  const a = normalizeAxis(axis, x.ndim, 'logSoftmax');
  // The max as a constant (not recorded: nothing would ever sweep its node); shift by 0 where it is ±∞,
  // so that ∞ − ∞ cannot make NaN.
  const m = noGrad(() => finiteOrZero(max(x, a, { keepDims: true })));
  const shifted = sub(x, m);
  return sub(shifted, log(sum(exp(shifted), a, { keepDims: true })));
}
