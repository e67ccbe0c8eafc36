/**
 * Float32 elementwise kernels on WebAssembly SIMD (`elementwise.wat`): same-length binary ops and axpy.
 * They return false, touching nothing, where they do not apply (float64, mixed dtypes, different lengths,
 * no SIMD), so a caller keeps its plain loop as the fallback.
 */
import type { TypedArray } from '../../../dtype';
import { fastKernelsSelected } from '../kernel-set';
import { elementwiseWasmBase64 } from './elementwise.wasm';
import { compileWasm, compileWasmSync } from './load';

/** The binary ops `binaryKernelFast` computes, in the op-code order of `elementwise.wat`. */
export const FAST_BINARY_OPS = ['add', 'sub', 'mul', 'div'] as const;
export type FastBinaryOp = (typeof FAST_BINARY_OPS)[number];

/** Elements per chunk: three 64 KB buffers stay in L2 between the copies and the compute. */
const CHUNK = 16384;
const [P0, P1, P2] = [64, 64 + CHUNK * 4, 64 + 2 * CHUNK * 4];

interface ElementwiseExports {
  memory: WebAssembly.Memory;
  binary(op: number, a: number, b: number, out: number, n: number): void;
  axpy(alpha: number, x: number, y: number, n: number): void;
}

let kernels: { ex: ElementwiseExports; f32: Float32Array } | null | undefined;

function instantiate(mod: WebAssembly.Module | null) {
  if (mod === null) return null;
  const ex = new WebAssembly.Instance(mod, {}).exports as unknown as ElementwiseExports;
  ex.memory.grow(Math.ceil((P2 + CHUNK * 4) / 65536));
  return { ex, f32: new Float32Array(ex.memory.buffer) };
}

function current() {
  if (kernels === undefined) kernels = instantiate(compileWasmSync(elementwiseWasmBase64));
  return kernels;
}

/**
 * Compiles the elementwise kernels asynchronously (for a browser main thread); resolves true when they run.
 * @example await initElementwiseKernels();
 */
export async function initElementwiseKernels(): Promise<boolean> {
  if (!kernels) kernels = instantiate(await compileWasm(elementwiseWasmBase64));
  return kernels !== null;
}

/**
 * out[i] = a[i] op b[i] for float32 arrays of one length, exactly as Math.fround(a[i] op b[i]); `out` may be
 * `a` or `b`. Returns false, doing nothing, for other dtypes or lengths or without WebAssembly SIMD.
 * @example
 * if (!binaryKernelFast('mul', a, b, out)) for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i];
 */
export function binaryKernelFast(op: FastBinaryOp, a: TypedArray, b: TypedArray, out: TypedArray): boolean {
  const code = FAST_BINARY_OPS.indexOf(op);
  if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) return false;
  if (code < 0 || a.length !== out.length || b.length !== out.length) return false;
  const k = fastKernelsSelected() ? current() : null;
  if (k === null) return false;
  for (let i = 0; i < out.length; i += CHUNK) {
    const n = Math.min(CHUNK, out.length - i);
    k.f32.set(a.subarray(i, i + n), P0 >> 2);
    k.f32.set(b.subarray(i, i + n), P1 >> 2);
    k.ex.binary(code, P0, P1, P2, (n + 3) & ~3);
    out.set(k.f32.subarray(P2 >> 2, (P2 >> 2) + n), i);
  }
  return true;
}

/**
 * y[i] += alpha·x[i] for float32 arrays of one length (an SGD step: alpha = −lr, x = grad, y = param).
 * alpha is rounded to float32, and the product and the sum each round to float32 (a float64 JavaScript
 * loop rounds once: results may differ by 1 ulp). Returns false, doing nothing, where it does not apply.
 * @example
 * if (!axpyKernelFast(-lr, p.grad.data, p.data)) for (let i = 0; i < n; i++) p.data[i] -= lr * g[i];
 */
export function axpyKernelFast(alpha: number, x: TypedArray, y: TypedArray): boolean {
  if (!(x instanceof Float32Array && y instanceof Float32Array) || x.length !== y.length) return false;
  const k = fastKernelsSelected() ? current() : null;
  if (k === null) return false;
  for (let i = 0; i < y.length; i += CHUNK) {
    const n = Math.min(CHUNK, y.length - i);
    k.f32.set(x.subarray(i, i + n), P0 >> 2);
    k.f32.set(y.subarray(i, i + n), P1 >> 2);
    k.ex.axpy(alpha, P0, P1, (n + 3) & ~3);
    y.set(k.f32.subarray(P1 >> 2, (P1 >> 2) + n), i);
  }
  return true;
}
