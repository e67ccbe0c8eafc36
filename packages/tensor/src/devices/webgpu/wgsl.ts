/**
 * WGSL shared by every kernel of the WebGPU device: the parameter words at binding 0, NaN tests that do not
 * depend on the compiler keeping IEEE semantics, the flat invocation index of a 256-wide 1-D dispatch, and
 * the host-side collapse of shapes and strides that keeps ranks small.
 */
import { SELU_ALPHA, SELU_LAMBDA } from '../../selu-constants';

/**
 * The most axes a strided kernel takes after `collapse` merged the contiguous ones (a tensor of any rank
 * whose axes merge down to this many works).
 */
export const MAX_RANK = 8;

/** Binding 0 and helpers; every kernel's source starts with it. */
export const PRELUDE = /* wgsl */ `
@group(0) @binding(0) var<storage, read> params: array<u32>;
fn pU(i: u32) -> u32 { return params[i]; }
fn pI(i: u32) -> i32 { return bitcast<i32>(params[i]); }
fn pF(i: u32) -> f32 { return bitcast<f32>(params[i]); }
fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
// Not constant expressions (a constant NaN or infinity is a shader-creation error in WGSL).
fn nanValue() -> f32 { return bitcast<f32>(0x7fc00000u | (params[0] & 0u)); }
fn infValue() -> f32 { return bitcast<f32>(0x7f800000u | (params[0] & 0u)); }
// The offset of flat row-major index i of the shape at params[shapeAt..] read with the strides at params[stridesAt..].
fn stridedOffset(i: u32, rank: u32, shapeAt: u32, stridesAt: u32) -> i32 {
  var rem = i;
  var off = 0i;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let s = pU(shapeAt + u32(d));
    off += i32(rem % s) * pI(stridesAt + u32(d));
    rem = rem / s;
  }
  return off;
}
// eˣ − 1 without the cancellation near 0 (Kahan's trick: (u − 1)·x / log u, u = eˣ rounded).
fn expm1f(x: f32) -> f32 {
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  return um1 * x / log(u);
}
const SELU_LAMBDA = ${SELU_LAMBDA};
const SELU_ALPHA = ${SELU_ALPHA};
`;

/** The entry point's arguments and first line for a 1-D kernel: `i` is the flat index, `n` params[0]. */
export const MAIN_1D = /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  let n = pU(0u);
  if (i >= n) { return; }
`;

/**
 * Drops axes of length 1 and merges neighbours that every operand walks contiguously (stride[d] =
 * stride[d+1]·shape[d+1]), so [128, 512] + [512] broadcast becomes two axes and a contiguous op one. A 0-d
 * or all-ones shape becomes [1] with stride 0.
 */
export function collapse(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d]);
    if (mergeable) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => {
        outStrides[k][last] = s[d];
      });
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => {
        outStrides[k].push(s[d]);
      });
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/** Throws where a collapsed rank passes MAX_RANK. */
export function checkRank(rank: number, kernel: string, shape: readonly number[]): void {
  if (rank > MAX_RANK) {
    throw new RangeError(
      `webgpu ${kernel}: shape [${shape.join(', ')}] has ${rank} axes that do not merge; the WebGPU device takes at most ${MAX_RANK} (make the tensor contiguous first, or run this op on the CPU)`,
    );
  }
}

/** Product of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}
