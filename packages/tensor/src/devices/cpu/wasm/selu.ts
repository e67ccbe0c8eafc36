/**
 * The SELU kernels in WebAssembly SIMD (`selu.wat`): y = selu(x), optionally with its derivative d = ∂y/∂x
 * in the same pass, and the backward pass from the output, dx = g·(λ or y + λα). Large passes split across
 * the worker pool. Plain loops for float64 and where SIMD is missing.
 */
import type { TypedArray } from '../../../dtype';
import { fastKernelsSelected } from '../kernel-set';
import { seluGradKernel, seluKernel } from '../reference/selu';
import { compileWasm, compileWasmSync } from './load';
import { sharedWorkspace } from './matmul';
import { seluWasmBase64 } from './selu.wasm';

/** Elements per chunk: three chunk buffers (x, y, d) of 64 KB each stay in L2 between copy and compute. */
const CHUNK = 16384;

/**
 * With worker threads (`useCpuWorkers`), arrays of at least this many elements are split across the
 * threads. Measured on 2 cores (outputs reused): 1.73 vs 1.79 ns/element at 2^16 on one vs two threads,
 * 1.75 vs 1.56 at 2^17, 1.77 vs 1.30 at 2^18; handing out a job costs ~10-50 µs.
 */
const PARALLEL_ELEMENTS = 1 << 17;
/** Elements per block of a split pass (two sets of x, y and d blocks of 512 KB each in the shared memory). */
const BLOCK = 1 << 17;

interface SeluExports {
  memory: WebAssembly.Memory;
  selu(x: number, y: number, d: number, n: number): void;
  grad(g: number, y: number, dx: number, n: number): void;
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
    if (x.length >= PARALLEL_ELEMENTS && seluOnWorkers(x, y, d)) return;
    if (selu === undefined) selu = instantiate(compileWasmSync(seluWasmBase64));
    if (selu !== null) {
      seluWasm(selu.ex, selu.f32, x, y, d);
      return;
    }
  }
  seluKernel(x, y, d);
}

/**
 * The SELU pass split across the worker pool, pipelined: while the threads compute block i in one half of
 * the shared memory, this thread copies block i + 1 of x into the other half, then (once block i is done
 * and i + 1 started) copies block i's y and d out. Fresh output arrays fault their pages on first touch:
 * that now overlaps the computation. False where there is no pool. (The backward pass stays on one thread:
 * it is mostly copies, which only this thread can make; on the pool it measured no faster.)
 */
function seluOnWorkers(x: Float32Array, y: Float32Array, d: Float32Array | null): boolean {
  const block = Math.min(BLOCK, (x.length + 3) & ~3);
  const ws = sharedWorkspace(64 + 6 * block * 4);
  if (ws === null) return false;
  const { pool, kernels, f32 } = ws;
  // Block i's x, y and d: three runs of `block` floats in half i mod 2 of the workspace.
  const region = (i: number) => 64 + (i & 1) * 3 * block * 4;
  const size = (i: number) => Math.min(block, x.length - i * block);
  const copyIn = (i: number) => f32.set(x.subarray(i * block, i * block + size(i)), region(i) >> 2);
  const start = (i: number) => {
    const [xp, n] = [region(i), size(i)];
    const args = [xp, xp + block * 4, d ? xp + 2 * block * 4 : 0, n];
    pool.start({
      kind: 1,
      args,
      byCols: false,
      step: CHUNK,
      slabs: Math.ceil(n / CHUNK),
      scratch: 0,
      pbOff: 0,
    });
  };
  const blocks = Math.ceil(x.length / block);
  copyIn(0);
  start(0);
  for (let i = 0; i < blocks; i++) {
    if (i + 1 < blocks) copyIn(i + 1);
    pool.finish(kernels);
    if (i + 1 < blocks) start(i + 1);
    const [yp, n] = [(region(i) >> 2) + block, size(i)];
    y.set(f32.subarray(yp, yp + n), i * block);
    d?.set(f32.subarray(yp + block, yp + block + n), i * block);
  }
  return true;
}

/**
 * The SELU backward pass from its output: dx = g·∂y/∂x, with ∂y/∂x = λ where y > 0 and y + λα (= λα·eˣ)
 * elsewhere, as TensorFlow's SeluGrad computes it, so the forward pass keeps nothing but y. Float32 runs on
 * WebAssembly SIMD, bit-identical to its plain loop; float64 computes in float64. `dx` may be `g`.
 * NOTE: y + λα has an absolute error of a few ulp of λα (float32: ≈ 3·10⁻⁷), so for x ≪ 0, where
 * ∂y/∂x = λα·eˣ → 0, its relative error grows (≈ 10⁻³ at x = −10); the gradient's absolute error stays
 * at the scale of float32 rounding of g·λ.
 * @example
 * seluKernelFast(x, y, null); // forward
 * seluGradKernelFast(g, y, dx); // backward
 */
export function seluGradKernelFast(g: TypedArray, y: TypedArray, dx: TypedArray): void {
  if (g.length !== y.length || dx.length !== y.length) {
    throw new RangeError(
      `seluGradKernelFast: g, y and dx must have the same length, got ${g.length}, ${y.length}, ${dx.length}`,
    );
  }
  if (
    fastKernelsSelected() &&
    g instanceof Float32Array &&
    y instanceof Float32Array &&
    dx instanceof Float32Array
  ) {
    if (selu === undefined) selu = instantiate(compileWasmSync(seluWasmBase64));
    if (selu !== null) {
      const { ex, f32 } = selu;
      const [gp, yp, op] = [64, 64 + CHUNK * 4, 64 + 2 * CHUNK * 4];
      for (let i = 0; i < g.length; i += CHUNK) {
        const n = Math.min(CHUNK, g.length - i);
        f32.set(g.subarray(i, i + n), gp >> 2);
        f32.set(y.subarray(i, i + n), yp >> 2);
        ex.grad(gp, yp, op, (n + 3) & ~3);
        dx.set(f32.subarray(op >> 2, (op >> 2) + n), i);
      }
      return;
    }
  }
  seluGradKernel(g, y, dx);
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
