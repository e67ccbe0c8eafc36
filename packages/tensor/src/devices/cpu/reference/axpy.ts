/** In-place y ← y + α·x over typed arrays: the parameter update of SGD, public for optimizers. */
import { dtypeOf, type TypedArray } from '../../../dtype';
import { bumpVersion } from '../../../versions';
import { axpyKernelFast } from '../wasm/elementwise';

/**
 * y ← y + alpha·x, in place, for two typed arrays of one length and dtype: the update of plain SGD is
 * `axpy(-lr, grad.data, param.data)`. float32 rounds as float32 arithmetic does (alpha to float32, then the
 * product and the sum each rounded, like PyTorch's float32 `add_(x, alpha=…)` without FMA), on WebAssembly
 * SIMD where available and bit-identical without; float64 computes in float64. `x` is not modified. The
 * write is declared (as `Tensor.markModified()` does): `y`'s version goes up, so a backward pass that
 * saved `y` before the update throws instead of using the new values.
 *
 * @example
 * const param = new Float32Array([1, 2]);
 * axpy(-0.5, new Float32Array([2, 2]), param); // param = [0, 1]
 */
export function axpy(alpha: number, x: TypedArray, y: TypedArray): void {
  if (
    !(x instanceof Float32Array || x instanceof Float64Array) ||
    !(y instanceof Float32Array || y instanceof Float64Array)
  ) {
    throw new TypeError('axpy: x and y must be Float32Arrays or Float64Arrays (a tensor’s .data)');
  }
  if (dtypeOf(x) !== dtypeOf(y) || x.length !== y.length) {
    throw new RangeError(
      `axpy: x and y must have one dtype and length, got ${dtypeOf(x)}[${x.length}] and ${dtypeOf(y)}[${y.length}]`,
    );
  }
  if (typeof alpha !== 'number') throw new TypeError(`axpy: alpha must be a number, got ${typeof alpha}`);
  bumpVersion(y);
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
