/**
 * The WebGPU device's reductions: sum/max/min over any set of axes and arg-max/arg-min along one. Axes are
 * first collapsed into alternating runs of kept and reduced axes. Few, long reductions run one workgroup
 * per output (256 invocations, then a tree in workgroup memory); many short ones, one invocation per output.
 * Accumulation is in float32 (the CPU accumulates in float64): sums agree within float32 tolerance.
 */
import type { ReduceOp } from '../../device/device';
import { type GpuRuntime, Params, type WebGPUBuffer } from './runtime';
import { checkRank, MAIN_1D, PRELUDE } from './wgsl';

const INIT: Record<ReduceOp, string> = { sum: '0.0', max: '-infValue()', min: 'infValue()' };
// NaN propagates for max/min: once the accumulator is NaN no comparison replaces it.
const COMBINE: Record<ReduceOp, string> = {
  sum: 'acc + v',
  max: 'select(acc, v, isNan(v) || v > acc)',
  min: 'select(acc, v, isNan(v) || v < acc)',
};

// params: [outCount, R, keptRank, redRank, keptShape, keptStrides, redShape, redStrides]
const OFFSETS = /* wgsl */ `
fn keptBase(o: u32) -> i32 { let k = pU(2u); return stridedOffset(o, k, 4u, 4u + k); }
fn redOffset(r: u32) -> i32 { let k = pU(2u); let d = pU(3u); return stridedOffset(r, d, 4u + 2u * k, 4u + 2u * k + d); }`;

function perOutputSource(op: ReduceOp): string {
  return `${PRELUDE}${OFFSETS}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let base = keptBase(i);
  var acc: f32 = ${INIT[op]};
  for (var r = 0u; r < pU(1u); r++) {
    let v = xs[base + redOffset(r)];
    acc = ${COMBINE[op]};
  }
  out[i] = acc;
}`;
}

function perWorkgroupSource(op: ReduceOp): string {
  return `${PRELUDE}${OFFSETS}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<workgroup> partial: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let o = wg.y * nwg.x + wg.x;
  let inRange = o < pU(0u);
  var acc: f32 = ${INIT[op]};
  if (inRange) {
    let base = keptBase(o);
    for (var r = li; r < pU(1u); r += 256u) {
      let v = xs[base + redOffset(r)];
      acc = ${COMBINE[op]};
    }
  }
  partial[li] = acc;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (li < s) {
      let acc = partial[li];
      let v = partial[li + s];
      partial[li] = ${COMBINE[op]};
    }
    workgroupBarrier();
  }
  if (inRange && li == 0u) { out[o] = partial[0]; }
}`;
}

const sources = new Map<string, string>();

/** out = op of x (of `shape`) over `axes`. */
export function reduce(
  rt: GpuRuntime,
  op: ReduceOp,
  x: WebGPUBuffer,
  shape: readonly number[],
  axes: readonly number[],
  out: WebGPUBuffer,
): void {
  // Runs of kept / reduced axes (length-1 axes dropped), with the input's contiguous strides.
  const runs: { size: number; stride: number; reduced: boolean }[] = [];
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const reduced = axes.includes(d);
    if (shape[d] !== 1) {
      const first = runs[0];
      if (first && first.reduced === reduced) {
        first.size *= shape[d];
      } else runs.unshift({ size: shape[d], stride, reduced });
    }
    stride *= shape[d];
  }
  const kept = runs.filter((r) => !r.reduced);
  const red = runs.filter((r) => r.reduced);
  checkRank(Math.max(kept.length, red.length), `reduce ${op}`, shape);
  const outCount = out.length;
  const count = red.reduce((s, r) => s * r.size, 1);
  if (outCount === 0) return;
  const p = new Params()
    .u(outCount, count, kept.length, red.length)
    .u(...kept.map((r) => r.size))
    .i(...kept.map((r) => r.stride))
    .u(...red.map((r) => r.size))
    .i(...red.map((r) => r.stride));
  const wide = count >= 512;
  const key = `${op} ${wide}`;
  let code = sources.get(key);
  if (!code) sources.set(key, (code = wide ? perWorkgroupSource(op) : perOutputSource(op)));
  const groups = wide ? rt.groups1d(outCount * 256) : rt.groups1d(outCount);
  rt.dispatch(`reduce ${op}`, code, p, [x], [out], groups);
}

const ARG = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let len = pU(1u);
  let inner = pU(2u);
  let sgn = pF(3u);
  let base = (i / inner) * len * inner + i % inner;
  var best = xs[base];
  var bestK = 0u;
  for (var k = 1u; k < len; k++) {
    if (isNan(best)) { break; }
    let v = xs[base + k * inner];
    if (isNan(v) || sgn * v > sgn * best) {
      best = v;
      bestK = k;
    }
  }
  out[i] = f32(bestK);
}`;

/** out = index of the first max (sign 1) or min (−1) along `axis`. */
export function argReduce(
  rt: GpuRuntime,
  x: WebGPUBuffer,
  shape: readonly number[],
  axis: number,
  sign: 1 | -1,
  out: WebGPUBuffer,
): void {
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const p = new Params().u(out.length, shape[axis], Math.max(inner, 1)).f(sign);
  rt.dispatch('argReduce', ARG, p, [x], [out], rt.groups1d(out.length));
}
