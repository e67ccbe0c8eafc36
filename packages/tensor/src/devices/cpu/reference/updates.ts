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
  const amsgrad = vMax !== null;
  const vm = vMax ?? v;
  const stepSize = lr / (1 - beta1 ** step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  const l2 = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  for (let i = 0; i < param.length; i++) {
    const p = param[i] * shrink;
    const g = grad[i] + l2 * param[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    if (amsgrad && v[i] > vm[i]) vm[i] = v[i];
    param[i] = p - (stepSize * m[i]) / (Math.sqrt(vm[i]) / bias2Sqrt + eps);
  }
}
