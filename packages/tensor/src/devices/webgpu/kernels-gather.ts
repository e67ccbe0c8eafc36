/**
 * The WebGPU device's gather, scatter-add and concat kernels. WGSL has no float atomics, so scatter-add is
 * computed per output element: each invocation owns out[o, j, r] and sums, in index order, the x[o, i, r]
 * whose index is j (O(len·idxLen) per [outer, inner] position; the same order of additions as the CPU).
 */
import { type GpuRuntime, Params, type WebGPUBuffer } from './runtime';
import { MAIN_1D, PRELUDE } from './wgsl';

const GATHER = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> index: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let len = pU(1u);
  let idxLen = pU(2u);
  let inner = pU(3u);
  let r = i % inner;
  let o = (i / inner) / idxLen;
  let k = index[i];
  // An index outside [0, len) cannot throw on the GPU: it reads as NaN.
  if (k < 0.0 || k >= f32(len) || isNan(k)) { out[i] = nanValue(); return; }
  out[i] = xs[(o * len + u32(k)) * inner + r];
}`;

const SCATTER = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> index: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let len = pU(1u);
  let idxLen = pU(2u);
  let inner = pU(3u);
  let r = i % inner;
  let t = i / inner;
  let j = f32(t % len);
  let o = t / len;
  var acc = out[i];
  for (var q = o * idxLen * inner + r; q < (o + 1u) * idxLen * inner; q += inner) {
    if (index[q] == j) { acc = acc + xs[q]; }
  }
  out[i] = acc;
}`;

const CONCAT = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> part: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let block = pU(1u);
  out[(i / block) * pU(2u) + pU(3u) + i % block] = part[i];
}`;

/** Gather along [outer, len, inner] (or, with `scatter`, its adjoint, adding into out). */
export function gather(
  rt: GpuRuntime,
  x: WebGPUBuffer,
  index: WebGPUBuffer,
  out: WebGPUBuffer,
  outer: number,
  len: number,
  idxLen: number,
  inner: number,
  scatter: boolean,
): void {
  const n = scatter ? outer * len * inner : outer * idxLen * inner;
  const p = new Params().u(n, len, idxLen, Math.max(inner, 1));
  if (scatter) rt.dispatch('scatter', SCATTER, p, [x, index], [out], rt.groups1d(n));
  else rt.dispatch('gather', GATHER, p, [x, index], [out], rt.groups1d(n));
}

/** Concatenation of parts [outer, lens[i], inner] along the middle axis: one dispatch per part. */
export function concat(
  rt: GpuRuntime,
  parts: readonly WebGPUBuffer[],
  lens: readonly number[],
  out: WebGPUBuffer,
  outer: number,
  inner: number,
): void {
  const total = lens.reduce((s, l) => s + l, 0);
  let start = 0;
  parts.forEach((part, k) => {
    const block = lens[k] * inner;
    const n = outer * block;
    if (n > 0) {
      const p = new Params().u(n, block, total * inner, start * inner);
      rt.dispatch('concat', CONCAT, p, [part], [out], rt.groups1d(n));
    }
    start += lens[k];
  });
}
