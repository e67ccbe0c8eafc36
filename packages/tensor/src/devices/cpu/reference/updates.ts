/**
 * The optimizer updates, in place: plain loops in the arithmetic of PyTorch's `torch.optim.SGD`, `Adam` and
 * `AdamW` (float64 intermediates, one rounding on store), so trajectories match PyTorch's.
 */

import type { AdamStep, SgdStep } from '../../../device/device';
import type { TypedArray } from '../../../dtype';
import { axpyKernel } from './axpy';

/** One SGD step on `param` (and its momentum buffer). */
export function sgdStepKernel(param: TypedArray, grad: TypedArray, buf: TypedArray | null, h: SgdStep): void {
  const { lr, momentum, dampening, weightDecay, nesterov } = h;
  if (momentum === 0 && weightDecay === 0) {
    axpyKernel(-lr, grad, param); // float32 rounding, as PyTorch's param.add_(grad, alpha=-lr)
    return;
  }
  if (momentum === 0 || buf === null) {
    for (let i = 0; i < param.length; i++) param[i] -= lr * (grad[i] + weightDecay * param[i]);
    return;
  }
  const first = h.firstStep;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] + weightDecay * param[i];
    const b = first ? g : momentum * buf[i] + (1 - dampening) * g;
    buf[i] = b;
    param[i] -= lr * (nesterov ? g + momentum * b : b);
  }
}

/** One Adam/AdamW step on `param`, `m`, `v` (and `vMax` for AMSGrad). */
export function adamStepKernel(
  param: TypedArray,
  grad: TypedArray,
  m: TypedArray,
  v: TypedArray,
  vMax: TypedArray | null,
  h: AdamStep,
): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupled, step } = h;
  const stepSize = lr / (1 - beta1 ** step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  const l2 = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  if (vMax === null && param instanceof Float32Array) {
    const k = { stepSize, bias2Sqrt, l2, shrink };
    adam32(param, grad as Float32Array, m as Float32Array, v as Float32Array, h, k);
    return;
  }
  const amsgrad = vMax !== null;
  const vm = vMax ?? v;
  for (let i = 0; i < param.length; i++) {
    const p = param[i] * shrink;
    const g = grad[i] + l2 * param[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    if (amsgrad && v[i] > vm[i]) vm[i] = v[i];
    param[i] = p - (stepSize * m[i]) / (Math.sqrt(vm[i]) / bias2Sqrt + eps);
  }
}

/**
 * The float32 Adam step without AMSGrad, the common case: the loop above with m and v kept in registers
 * (rounded to float32 as stored) instead of read back, and √v multiplied by 1/√(1 − β₂ᵗ) instead of divided
 * by its inverse: the double results differ by at most an ulp, so the float32 parameters are the same but in
 * rare ties (none in 664k parameters measured); one division fewer per parameter, and the division unit is what
 * bounds this loop. 4.3 → 2.3 ms on 664k parameters (docs/BENCHMARKS.md).
 */
function adam32(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  h: AdamStep,
  k: { stepSize: number; bias2Sqrt: number; l2: number; shrink: number },
): void {
  const { beta1, beta2, eps } = h;
  const { stepSize, bias2Sqrt, l2, shrink } = k;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const inv2 = 1 / bias2Sqrt;
  for (let i = 0; i < param.length; i++) {
    const p = param[i];
    const g = grad[i] + l2 * p;
    const mi = Math.fround(beta1 * m[i] + c1 * g);
    const vi = Math.fround(beta2 * v[i] + c2 * g * g);
    m[i] = mi;
    v[i] = vi;
    param[i] = p * shrink - (stepSize * mi) / (Math.sqrt(vi) * inv2 + eps);
  }
}
