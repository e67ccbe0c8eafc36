/**
 * The fast float32 matrix-multiply kernel: the same contract as `matmulKernel`, computed by a
 * register-blocked, cache-tiled WebAssembly SIMD micro-kernel (`wasm/matmul.wat`), with the reference
 * kernel as the fallback for float64, mixed dtypes, and engines without WebAssembly SIMD.
 */
import type { TypedArray } from '../dtype';
import { matmulKernel } from './matmul';
import { compileWasm, compileWasmSync } from './wasm/load';
import { matmulWasmBase64 } from './wasm/matmul.wasm';

interface GemmExports {
  memory: WebAssembly.Memory;
  MC: WebAssembly.Global;
  KC: WebAssembly.Global;
  NC: WebAssembly.Global;
  NR: WebAssembly.Global;
  MR: WebAssembly.Global;
  gemm(
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    acc: number,
    pa: number,
    pb: number,
    tile: number,
  ): void;
}

/** A live instance: its exports, the float view of its memory, and the fixed scratch layout. */
interface Gemm {
  ex: GemmExports;
  f32: Float32Array;
  nr: number;
  kc: number;
  nc: number;
  tile: number; // byte offset of the MR×NR scratch tile
  pa: number; // byte offset of the packed A block (MC×KC floats)
  pbBase: number; // byte offset where the packed B block starts
}

/** undefined: not tried yet; null: unavailable here (no SIMD, or compilation refused). */
let gemm: Gemm | null | undefined;

function instantiate(mod: WebAssembly.Module | null): Gemm | null {
  if (mod === null) return null;
  const ex = new WebAssembly.Instance(mod, {}).exports as unknown as GemmExports;
  const mc = ex.MC.value as number;
  const kc = ex.KC.value as number;
  const tile = 64;
  const pa = 256;
  return {
    ex,
    f32: new Float32Array(ex.memory.buffer),
    nr: ex.NR.value as number,
    kc,
    nc: ex.NC.value as number,
    tile,
    pa,
    pbBase: pa + mc * kc * 4,
  };
}

function current(): Gemm | null {
  if (gemm === undefined) gemm = instantiate(compileWasmSync(matmulWasmBase64));
  return gemm;
}

/**
 * Compiles the WebAssembly kernels asynchronously; resolves true when `matmulKernelFast` will use them.
 * Optional: the kernel compiles itself synchronously on first use where the engine allows. Await this in a
 * browser whose main thread refuses synchronous compilation; until then the reference kernel is used.
 *
 * @example
 * await initFastKernels(); // true in Node ≥ 16.4 and current browsers
 */
export async function initFastKernels(): Promise<boolean> {
  if (!gemm) gemm = instantiate(await compileWasm(matmulWasmBase64));
  return gemm !== null;
}

/**
 * Whether `matmulKernelFast` runs the WebAssembly SIMD kernel here (compiling it on first call).
 *
 * @example
 * fastKernelsAvailable(); // false where WebAssembly SIMD is missing: the reference kernel is used
 */
export function fastKernelsAvailable(): boolean {
  return current() !== null;
}

const align16 = (bytes: number) => (bytes + 15) & ~15;

/**
 * C[m×n] (+)= op(A)·op(B) in float32 with WebAssembly SIMD; the contract of `matmulKernel` exactly.
 * op(A) is m×k, stored [m,k] or, with `transA`, [k,m]; op(B) is k×n, stored [k,n] or, with `transB`, [n,k];
 * row-major and contiguous from the given offsets. Transposed operands are read in place by the packing
 * step. Sums are float32 (error ≤ (k+2)·2⁻²⁴·Σ|a||b| per element, the bound for float32 dot products).
 * Float64 or mixed arrays, or an engine without WebAssembly SIMD, take the reference kernel.
 * Source: the GotoBLAS/BLIS blocking (Goto & van de Geijn, ACM TOMS 34(3), 2008); see `wasm/matmul.wat`.
 *
 * @example
 * const a = new Float32Array([1, 2, 3, 4]); // [[1, 2], [3, 4]]
 * const out = new Float32Array(4);
 * matmulKernelFast(a, 0, a, 0, out, 0, 2, 2, 2, false, true, false); // A·Aᵀ → [5, 11, 11, 25]
 */
export function matmulKernelFast(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  out: TypedArray,
  outOff: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  if (
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    out instanceof Float32Array &&
    m > 0 &&
    n > 0 &&
    k > 0
  ) {
    const g = current();
    if (g !== null && runWasm(g, a, aOff, b, bOff, out, outOff, m, n, k, transA, transB, accumulate)) return;
  }
  matmulKernel(a, aOff, b, bOff, out, outOff, m, n, k, transA, transB, accumulate);
}

/** Copies the operands into wasm memory, runs `gemm`, copies C back. False if memory could not grow. */
function runWasm(
  g: Gemm,
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  out: Float32Array,
  outOff: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): boolean {
  const nPanels = Math.ceil(Math.min(n, g.nc) / g.nr);
  const aPtr = g.pbBase + g.kc * nPanels * g.nr * 4;
  const bPtr = aPtr + align16(m * k * 4);
  const cPtr = bPtr + align16(k * n * 4);
  const end = cPtr + m * n * 4;
  const mem = g.ex.memory;
  if (end > mem.buffer.byteLength) {
    try {
      mem.grow(Math.ceil((end - mem.buffer.byteLength) / 65536));
    } catch {
      return false; // beyond what this engine will give a wasm memory: the reference kernel copes
    }
  }
  if (g.f32.buffer !== mem.buffer) g.f32 = new Float32Array(mem.buffer);
  const f32 = g.f32;
  f32.set(a.subarray(aOff, aOff + m * k), aPtr >> 2);
  f32.set(b.subarray(bOff, bOff + k * n), bPtr >> 2);
  if (accumulate) f32.set(out.subarray(outOff, outOff + m * n), cPtr >> 2);
  g.ex.gemm(
    aPtr,
    transA ? 4 : k * 4,
    transA ? m * 4 : 4,
    bPtr,
    transB ? 4 : n * 4,
    transB ? k * 4 : 4,
    cPtr,
    n * 4,
    m,
    n,
    k,
    accumulate ? 1 : 0,
    g.pa,
    g.pbBase,
    g.tile,
  );
  out.set(f32.subarray(cPtr >> 2, (cPtr >> 2) + m * n), outOff);
  return true;
}
