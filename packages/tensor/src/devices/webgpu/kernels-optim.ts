/**
 * The optimizer updates on the WebGPU device, in place and in float32: PyTorch's SGD (momentum, dampening,
 * weight decay, Nesterov) and Adam/AdamW (with AMSGrad), the formulas of @selfnorm/nn's optimizers. Scalars
 * that depend only on the step (the bias corrections) are computed on the host in float64.
 */
import type { AdamStep, SgdStep } from '../../device/device';
import { type GpuRuntime, Params, type WebGPUBuffer } from './runtime';
import { MAIN_1D, PRELUDE } from './wgsl';

// params: [n, lr, momentum, dampening, weightDecay, nesterov, firstStep, -lr (f32)]
const SGD_BODY = /* wgsl */ `
  let lr = pF(1u);
  let mu = pF(2u);
  let wd = pF(4u);
  let g = grad[i] + wd * param[i];`;

const SGD_PLAIN = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
${MAIN_1D}${SGD_BODY}
  if (wd == 0.0) {
    let step = pF(7u) * grad[i]; // axpy(−lr, grad, param): the product rounded, then the sum
    param[i] = param[i] + step;
  } else {
    param[i] = param[i] - lr * g;
  }
}`;

const SGD_MOMENTUM = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> buf: array<f32>;
${MAIN_1D}${SGD_BODY}
  var b = g;
  if (pU(6u) == 0u) { b = mu * buf[i] + (1.0 - pF(3u)) * g; }
  buf[i] = b;
  param[i] = param[i] - lr * select(b, g + mu * b, pU(5u) != 0u);
}`;

/** One SGD step in place on param (and its momentum buffer). */
export function sgdStep(
  rt: GpuRuntime,
  param: WebGPUBuffer,
  grad: WebGPUBuffer,
  momentum: WebGPUBuffer | null,
  h: SgdStep,
): void {
  const p = new Params()
    .u(param.length)
    .f(h.lr, h.momentum, h.dampening, h.weightDecay)
    .u(h.nesterov ? 1 : 0, h.firstStep ? 1 : 0)
    .f(-h.lr);
  if (momentum && h.momentum !== 0) {
    rt.dispatch('sgdStep', SGD_MOMENTUM, p, [grad], [param, momentum], rt.groups1d(param.length));
  } else rt.dispatch('sgdStep', SGD_PLAIN, p, [grad], [param], rt.groups1d(param.length));
}

// params: [n, beta1, beta2, eps, l2, shrink, stepSize, bias2Sqrt]
const ADAM_BODY = /* wgsl */ `
  let beta1 = pF(1u);
  let beta2 = pF(2u);
  let theta = param[i];
  let g = grad[i] + pF(4u) * theta;
  let mi = beta1 * m[i] + (1.0 - beta1) * g;
  let vi = beta2 * v[i] + (1.0 - beta2) * g * g;
  m[i] = mi;
  v[i] = vi;`;

function adamSource(amsgrad: boolean): string {
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
${amsgrad ? '@group(0) @binding(5) var<storage, read_write> vMax: array<f32>;' : ''}
${MAIN_1D}${ADAM_BODY}
  ${amsgrad ? 'let vm = max(vMax[i], vi);\n  vMax[i] = vm;' : 'let vm = vi;'}
  param[i] = theta * pF(5u) - (pF(6u) * mi) / (sqrt(vm) / pF(7u) + pF(3u));
}`;
}
const ADAM = adamSource(false);
const AMSGRAD = adamSource(true);

/** One Adam/AdamW step in place on param, m, v (and vMax). */
export function adamStep(
  rt: GpuRuntime,
  param: WebGPUBuffer,
  grad: WebGPUBuffer,
  m: WebGPUBuffer,
  v: WebGPUBuffer,
  vMax: WebGPUBuffer | null,
  h: AdamStep,
): void {
  const stepSize = h.lr / (1 - h.beta1 ** h.step);
  const bias2Sqrt = Math.sqrt(1 - h.beta2 ** h.step);
  const l2 = h.decoupled ? 0 : h.weightDecay;
  const shrink = h.decoupled ? 1 - h.lr * h.weightDecay : 1;
  const p = new Params().u(param.length).f(h.beta1, h.beta2, h.eps, l2, shrink, stepSize, bias2Sqrt);
  const writes = vMax ? [param, m, v, vMax] : [param, m, v];
  rt.dispatch('adamStep', vMax ? AMSGRAD : ADAM, p, [grad], writes, rt.groups1d(param.length));
}
