/**
 * Batch normalization on the WebGPU device, two passes each way as on the CPU: per channel, one workgroup
 * reduces the statistics (forward: mean, then the biased variance around it; backward: Σg and Σg·x̂) in
 * workgroup memory; then one invocation per element normalizes (forward) or forms dx (backward). Layout
 * [outer, channels, inner]. A missing weight or bias is a flag, with x bound in its place.
 */
import { type GpuRuntime, Params, type WebGPUBuffer } from './runtime';
import { MAIN_1D, PRELUDE } from './wgsl';

// params: [n, outer, channels, inner, eps, hasWeight, hasBias]
const TREE = /* wgsl */ `
var<workgroup> partial: array<f32, 256>;
fn treeSum(li: u32, v: f32) -> f32 {
  partial[li] = v;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (li < s) { partial[li] = partial[li] + partial[li + s]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}`;

const STATS = /* wgsl */ `${PRELUDE}${TREE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> variance: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let c = wg.x;
  let outer = pU(1u);
  let channels = pU(2u);
  let inner = pU(3u);
  let count = outer * inner;
  var s = 0.0;
  for (var j = li; j < count; j += 256u) { s += x[((j / inner) * channels + c) * inner + j % inner]; }
  let mu = treeSum(li, s) / f32(count);
  var q = 0.0;
  for (var j = li; j < count; j += 256u) {
    let d = x[((j / inner) * channels + c) * inner + j % inner] - mu;
    q += d * d;
  }
  let v = treeSum(li, q) / f32(count);
  if (li == 0u) {
    mean[c] = mu;
    variance[c] = v;
  }
}`;

const NORMALIZE = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read> mean: array<f32>;
@group(0) @binding(5) var<storage, read> variance: array<f32>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let c = (i / pU(3u)) % pU(2u);
  let invStd = 1.0 / sqrt(variance[c] + pF(4u));
  let scale = select(invStd, weight[c] * invStd, pU(5u) != 0u);
  let shift = select(0.0, bias[c], pU(6u) != 0u);
  out[i] = (x[i] - mean[c]) * scale + shift;
}`;

// sums[c] = Σg, sums[channels + c] = Σg·x̂
const GRAD_SUMS = /* wgsl */ `${PRELUDE}${TREE}
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> variance: array<f32>;
@group(0) @binding(5) var<storage, read_write> sums: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let c = wg.x;
  let outer = pU(1u);
  let channels = pU(2u);
  let inner = pU(3u);
  let count = outer * inner;
  let mu = mean[c];
  var sg = 0.0;
  var sgx = 0.0;
  for (var j = li; j < count; j += 256u) {
    let k = ((j / inner) * channels + c) * inner + j % inner;
    sg += g[k];
    sgx += g[k] * (x[k] - mu);
  }
  let totalG = treeSum(li, sg);
  let totalGx = treeSum(li, sgx);
  if (li == 0u) {
    sums[c] = totalG;
    sums[channels + c] = totalGx / sqrt(variance[c] + pF(4u));
  }
}`;

const GRAD_INPUT = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
@group(0) @binding(4) var<storage, read> mean: array<f32>;
@group(0) @binding(5) var<storage, read> variance: array<f32>;
@group(0) @binding(6) var<storage, read> sums: array<f32>;
@group(0) @binding(7) var<storage, read_write> dx: array<f32>;
${MAIN_1D}
  let channels = pU(2u);
  let c = (i / pU(3u)) % channels;
  let count = f32(pU(1u) * pU(3u));
  let invStd = 1.0 / sqrt(variance[c] + pF(4u));
  let scale = select(1.0, weight[c], pU(5u) != 0u) * invStd;
  let xhat = (x[i] - mean[c]) * invStd;
  dx[i] = scale * (g[i] - sums[c] / count - xhat * sums[channels + c] / count);
}`;

function bnParams(
  n: number,
  outer: number,
  channels: number,
  inner: number,
  eps: number,
  w: boolean,
  b: boolean,
) {
  return new Params()
    .u(n, outer, channels, inner)
    .f(eps)
    .u(w ? 1 : 0, b ? 1 : 0);
}

/** mean, variance per channel, and out = (x − mean)/√(variance + eps)·weight + bias. */
export function batchNorm(
  rt: GpuRuntime,
  x: WebGPUBuffer,
  weight: WebGPUBuffer | null,
  bias: WebGPUBuffer | null,
  out: WebGPUBuffer,
  mean: WebGPUBuffer,
  variance: WebGPUBuffer,
  outer: number,
  channels: number,
  inner: number,
  eps: number,
): void {
  if (channels === 0) return;
  const p = bnParams(x.length, outer, channels, inner, eps, weight !== null, bias !== null);
  rt.dispatch('batchNorm stats', STATS, p, [x], [mean, variance], [channels, 1, 1]);
  const reads = [x, weight ?? x, bias ?? x, mean, variance];
  rt.dispatch('batchNorm', NORMALIZE, p, reads, [out], rt.groups1d(x.length));
}

/** dx, and dWeight = Σg·x̂, dBias = Σg per channel where wanted. */
export function batchNormBackward(
  rt: GpuRuntime,
  g: WebGPUBuffer,
  x: WebGPUBuffer,
  weight: WebGPUBuffer | null,
  mean: WebGPUBuffer,
  variance: WebGPUBuffer,
  dx: WebGPUBuffer,
  dWeight: WebGPUBuffer | null,
  dBias: WebGPUBuffer | null,
  outer: number,
  channels: number,
  inner: number,
  eps: number,
): void {
  if (channels === 0) return;
  const p = bnParams(x.length, outer, channels, inner, eps, weight !== null, false);
  const sums = rt.allocate(2 * channels, false);
  rt.dispatch('batchNormBackward sums', GRAD_SUMS, p, [g, x, mean, variance], [sums], [channels, 1, 1]);
  rt.dispatch(
    'batchNormBackward',
    GRAD_INPUT,
    p,
    [g, x, weight ?? x, mean, variance, sums],
    [dx],
    rt.groups1d(x.length),
  );
  if (dBias) rt.copyBuffer(sums, dBias, channels);
  if (dWeight) rt.copyBuffer(sums, dWeight, channels, channels);
  rt.release(sums);
}
