/** The reference SELU kernels: plain loops, what the WebAssembly SIMD kernels are tested against. */
import type { TypedArray } from '../../../dtype';
import { SELU_ALPHA as ALPHA, SELU_LAMBDA as LAMBDA } from '../../../selu-constants';

const LAMBDA_ALPHA = LAMBDA * ALPHA;
const LAMBDA_F32 = Math.fround(LAMBDA);
const LAMBDA_ALPHA_F32 = Math.fround(LAMBDA_ALPHA);

/** y = SELU(x), and d = SELU'(x) when given (λ for x > 0, λα·eˣ otherwise). */
export function seluKernel(x: TypedArray, y: TypedArray, d: TypedArray | null): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v > 0) {
      y[i] = LAMBDA * v;
      if (d) d[i] = LAMBDA;
    } else {
      // v ≤ 0 or NaN: e^v cannot overflow, and underflows to exactly 0.
      y[i] = LAMBDA_ALPHA * Math.expm1(v);
      if (d) d[i] = LAMBDA_ALPHA * Math.exp(v);
    }
  }
}

/** dx = g · SELU'(x) from the output y: λ where y > 0, else y + λα (float32: rounded as the SIMD kernel). */
export function seluGradKernel(g: TypedArray, y: TypedArray, dx: TypedArray): void {
  if (dx instanceof Float32Array) {
    // float32 arithmetic exactly as the SIMD kernel: the sum rounded to float32, then the product.
    for (let i = 0; i < g.length; i++) {
      const v = y[i];
      dx[i] = g[i] * (v > 0 ? LAMBDA_F32 : Math.fround(v + LAMBDA_ALPHA_F32));
    }
  } else {
    for (let i = 0; i < g.length; i++) dx[i] = g[i] * (y[i] > 0 ? LAMBDA : y[i] + LAMBDA_ALPHA);
  }
}
