/**
 * In-place y ← y + α·x over typed arrays: the CPU kernel behind the public, tensor-level `axpy` of
 * src/ops/in-place.ts (internal: not exported from the package).
 */
import type { TypedArray } from '../../../dtype';
import { axpyKernelFast } from '../wasm/elementwise';

/**
 * y ← y + alpha·x, in place, for two typed arrays of one length and dtype (the caller checked them).
 * float32 rounds as float32 arithmetic does (alpha to float32, then the product and the sum each rounded,
 * like PyTorch's float32 `add_(x, alpha=…)` without FMA), on WebAssembly SIMD where available and
 * bit-identical without; float64 computes in float64. `x` is not modified; no write is declared.
 *
 * @example
 * const param = new Float32Array([1, 2]);
 * axpyKernel(-0.5, new Float32Array([2, 2]), param); // param = [0, 1]
 */
export function axpyKernel(alpha: number, x: TypedArray, y: TypedArray): void {
  if (y instanceof Float64Array) {
    for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
    return;
  }
  if (axpyKernelFast(alpha, x, y)) return;
  // float32: a·x of two float32 values is exact in float64, so fround gives the float32 product; the sum is
  // rounded once on store, which equals float32 addition (float64 has more than 2·24 + 2 bits).
  const a = Math.fround(alpha);
  for (let i = 0; i < y.length; i++) y[i] += Math.fround(a * x[i]);
}
