/**
 * The fused SELU kernel: y = selu(x) and its derivative d = ∂y/∂x in one pass, in WebAssembly SIMD
 * (`selu.wat`), so a backward pass is a single multiply g·d. Plain loops for float64 and where SIMD is missing.
 */
import type { TypedArray } from '../../dtype';
import { SELU_ALPHA as ALPHA, SELU_LAMBDA as LAMBDA } from '../../selu-constants';
import { fastKernelsSelected } from '../kernel-set';
import { compileWasm, compileWasmSync } from './load';
import { seluWasmBase64 } from './selu.wasm';

const LAMBDA_ALPHA = LAMBDA * ALPHA;

/** Elements per chunk: three chunk buffers (x, y, d) of 64 KB each stay in L2 between copy and compute. */
const CHUNK = 16384;

interface SeluExports {
  memory: WebAssembly.Memory;
  selu(x: number, y: number, d: number, n: number): void;
  mul(a: number, b: number, out: number, n: number): void;
}

let selu: { ex: SeluExports; f32: Float32Array } | null | undefined;

function instantiate(mod: WebAssembly.Module | null) {
  if (mod === null) return null;
  const ex = new WebAssembly.Instance(mod, {}).exports as unknown as SeluExports;
  ex.memory.grow(Math.ceil((3 * CHUNK * 4 + 64) / 65536));
  return { ex, f32: new Float32Array(ex.memory.buffer) };
}

/**
 * Compiles the SELU kernel asynchronously (for a browser main thread); resolves true when it will run on
 * WebAssembly SIMD. Optional: the kernel compiles synchronously on first use where the engine allows.
 * @example await initSeluKernel();
 */
export async function initSeluKernel(): Promise<boolean> {
  if (!selu) selu = instantiate(await compileWasm(seluWasmBase64));
  return selu !== null;
}

/**
 * y = λx (x > 0) or λα(eˣ − 1) (x ≤ 0), and, when `d` is given, d = ∂y/∂x = λ (x > 0) or λαeˣ (x ≤ 0).
 * NOTE: the derivative at exactly 0 is λα (the negative branch, as PyTorch). The negative branch evaluates
 * min(x, 0), so a large positive input never computes eˣ = ∞; NaN propagates. Float32 arrays run on
 * WebAssembly SIMD (within 2 ulp of the exact values; below x = −87 the derivative is λα·e⁻⁸⁷ ≈ 3·10⁻³⁸
 * instead of underflowing to 0); float64 uses Math.expm1 and Math.exp.
 * `x`, `y` and `d` have the same length and dtype; `y` may be `x` (in place).
 * Source: Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017, Eq. (2).
 * @example
 * const y = new Float32Array(2), d = new Float32Array(2);
 * seluKernelFast(new Float32Array([1, -1]), y, d); // y ≈ [1.0507, -1.1113], d ≈ [1.0507, 0.6468]
 */
export function seluKernelFast(x: TypedArray, y: TypedArray, d: TypedArray | null): void {
  if (y.length !== x.length || (d !== null && d.length !== x.length)) {
    throw new RangeError(
      `seluKernelFast: x, y and d must have the same length, got ${x.length}, ${y.length}, ${d?.length}`,
    );
  }
  if (
    fastKernelsSelected() &&
    x instanceof Float32Array &&
    y instanceof Float32Array &&
    (d === null || d instanceof Float32Array)
  ) {
    if (selu === undefined) selu = instantiate(compileWasmSync(seluWasmBase64));
    if (selu !== null) {
      seluWasm(selu.ex, selu.f32, x, y, d);
      return;
    }
  }
  seluPlain(x, y, d);
}

/**
 * The SELU backward pass: dx = g·d, with d = ∂y/∂x saved by `seluKernelFast` (float32 on WebAssembly SIMD,
 * exact products; float64 or mixed arrays by a plain loop). `dx` may be `g` or `d` (in place).
 * @example
 * seluKernelFast(x, y, d); // forward, keeping d
 * seluBackwardKernelFast(g, d, dx); // backward
 */
export function seluBackwardKernelFast(g: TypedArray, d: TypedArray, dx: TypedArray): void {
  if (g.length !== d.length || dx.length !== d.length) {
    throw new RangeError(
      `seluBackwardKernelFast: g, d and dx must have the same length, got ${g.length}, ${d.length}, ${dx.length}`,
    );
  }
  if (
    fastKernelsSelected() &&
    g instanceof Float32Array &&
    d instanceof Float32Array &&
    dx instanceof Float32Array
  ) {
    if (selu === undefined) selu = instantiate(compileWasmSync(seluWasmBase64));
    if (selu !== null) {
      const { ex, f32 } = selu;
      const [gp, dp, op] = [64, 64 + CHUNK * 4, 64 + 2 * CHUNK * 4];
      for (let i = 0; i < g.length; i += CHUNK) {
        const n = Math.min(CHUNK, g.length - i);
        f32.set(g.subarray(i, i + n), gp >> 2);
        f32.set(d.subarray(i, i + n), dp >> 2);
        ex.mul(gp, dp, op, (n + 3) & ~3);
        dx.set(f32.subarray(op >> 2, (op >> 2) + n), i);
      }
      return;
    }
  }
  for (let i = 0; i < g.length; i++) dx[i] = g[i] * d[i];
}

function seluWasm(
  ex: SeluExports,
  f32: Float32Array,
  x: Float32Array,
  y: Float32Array,
  d: Float32Array | null,
) {
  const xp = 64;
  const yp = xp + CHUNK * 4;
  const dp = yp + CHUNK * 4;
  for (let i = 0; i < x.length; i += CHUNK) {
    const n = Math.min(CHUNK, x.length - i);
    f32.set(x.subarray(i, i + n), xp >> 2);
    ex.selu(xp, yp, d ? dp : 0, (n + 3) & ~3);
    y.set(f32.subarray(yp >> 2, (yp >> 2) + n), i);
    if (d) d.set(f32.subarray(dp >> 2, (dp >> 2) + n), i);
  }
}

function seluPlain(x: TypedArray, y: TypedArray, d: TypedArray | null) {
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
