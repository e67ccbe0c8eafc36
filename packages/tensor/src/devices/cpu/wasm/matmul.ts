/**
 * The fast float32 matrix-multiply kernel: the same contract as `matmulKernel`, computed by a
 * register-blocked, cache-tiled WebAssembly SIMD micro-kernel (`wasm/matmul.wat`), with the reference
 * kernel as the fallback for float64, mixed dtypes, and engines without WebAssembly SIMD. Where the engine
 * has relaxed SIMD, the micro-kernel's multiply-adds are fused (`f32x4.relaxed_madd`, the relaxed build).
 */
import type { TypedArray } from '../../../dtype';
import { fastKernelsSelected } from '../kernel-set';
import { matmulKernel } from '../reference/matmul';
import { compileWasm, compileWasmSync, relaxedSimdSupported } from './load';
import {
  matmulRelaxedSharedWasmBase64,
  matmulRelaxedWasmBase64,
  matmulSharedWasmBase64,
  matmulWasmBase64,
} from './matmul.wasm';
import { seluSharedWasmBase64 } from './selu.wasm';
import { type CpuWorker, type PoolKernels, WorkerPool } from './workers';

export { type CpuWorker, cpuWorkerSource } from './workers';

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

/** A live instance: its exports, the float view of its memory, its blocking constants and its workers. */
interface Gemm {
  ex: GemmExports;
  /** Whether this is the relaxed-SIMD build (fused multiply-add). */
  relaxed: boolean;
  memory: WebAssembly.Memory;
  f32: Float32Array;
  mr: number;
  nr: number;
  mc: number;
  kc: number;
  nc: number;
  /** Workers sharing `memory` (shared build only); null: this thread computes alone. */
  pool: WorkerPool | null;
  /** This thread's kernels over the shared memory, for the pool's jobs (shared build only). */
  kernels: PoolKernels | null;
}

/** undefined: not tried yet; null: unavailable here (no SIMD, or compilation refused). */
let gemm: Gemm | null | undefined;

/** Whether to load the relaxed-SIMD build where the engine has it (tests turn it off to check the other). */
let relaxedWanted = true;

/** The build to load: [base64, relaxed] for this thread alone or for a shared memory. */
function build(shared: boolean): [string, boolean] {
  const relaxed = relaxedWanted && relaxedSimdSupported();
  if (relaxed) return [shared ? matmulRelaxedSharedWasmBase64 : matmulRelaxedWasmBase64, true];
  return [shared ? matmulSharedWasmBase64 : matmulWasmBase64, false];
}

/**
 * Internal (tests and measurements): whether the relaxed-SIMD build may be loaded where the engine has it
 * (default true). Takes effect at once on one thread, at the next `useCpuWorkers` with workers. Returns the
 * previous setting.
 */
export function preferRelaxedSimd(enabled: boolean): boolean {
  const previous = relaxedWanted;
  relaxedWanted = enabled;
  if (previous !== enabled && !gemm?.pool) gemm = undefined;
  return previous;
}

function instantiate(
  mod: WebAssembly.Module | null,
  relaxed: boolean,
  memory?: WebAssembly.Memory,
  pool: WorkerPool | null = null,
  seluMod: WebAssembly.Module | null = null,
): Gemm | null {
  if (mod === null) return null;
  const ex = new WebAssembly.Instance(mod, memory ? { env: { memory } } : {})
    .exports as unknown as GemmExports;
  const mem = memory ?? ex.memory;
  const int = (g: WebAssembly.Global) => g.value as number;
  const selu =
    memory && seluMod
      ? (new WebAssembly.Instance(seluMod, { env: { memory } }).exports.selu as PoolKernels['selu'])
      : null;
  return {
    ex,
    relaxed,
    memory: mem,
    f32: new Float32Array(mem.buffer),
    mr: int(ex.MR),
    nr: int(ex.NR),
    mc: int(ex.MC),
    kc: int(ex.KC),
    nc: int(ex.NC),
    pool,
    kernels: selu ? { gemm: ex.gemm as PoolKernels['gemm'], selu } : null,
  };
}

function current(): Gemm | null {
  if (gemm === undefined) {
    const [b64, relaxed] = build(false);
    gemm = instantiate(compileWasmSync(b64), relaxed);
  }
  return gemm;
}

/**
 * Which float32 matmul kernel runs here: `'relaxed-simd'` (WebAssembly SIMD with fused multiply-add, where
 * the engine has relaxed SIMD: Chrome ≥ 114, Node ≥ 22), `'simd'` (WebAssembly SIMD, a multiply and an add),
 * or `'reference'` (plain TypeScript: no SIMD, or `useFastKernels(false)`). Results of the first two differ
 * in rounding only (both within the float32 bound (k+2)·2⁻²⁴·Σ|a||b|).
 *
 * @example
 * matmulKernelInUse(); // 'simd' in Node 20, 'relaxed-simd' in Chrome
 */
export function matmulKernelInUse(): 'relaxed-simd' | 'simd' | 'reference' {
  const g = fastKernelsSelected() ? current() : null;
  return g === null ? 'reference' : g.relaxed ? 'relaxed-simd' : 'simd';
}

/**
 * How many slabs of C each thread has run since `useCpuWorkers` (index 0: the calling thread); [] on
 * one thread. A statistic: it shows whether the workers take part.
 * @example cpuThreadStats(); // [812, 790] after a training run on two threads
 */
export function cpuThreadStats(): number[] {
  return gemm?.pool?.slabsTaken() ?? [];
}

/** Products below this many flops (2mnk) stay on the calling thread: waking a worker costs ~10-50 µs. */
const PARALLEL_FLOPS = 1 << 22;

/**
 * Splits large float32 products, and SELU over large float32 tensors, between the calling thread and
 * `workers` (each started from `cpuWorkerSource`), over one shared WebAssembly memory; the kernels stay
 * synchronous.
 * Resolves false, changing nothing, where SharedArrayBuffer or WebAssembly SIMD is missing (a browser page
 * without cross-origin isolation). Pass `[]` to go back to one thread (then terminate the old workers).
 * Measured on 2 cores: see docs/BENCHMARKS.md.
 *
 * @example
 * // Node, with Worker from the worker_threads module:
 * const worker = new Worker(cpuWorkerSource, { eval: true });
 * worker.unref(); // it blocks in Atomics.wait and must not keep the process alive
 * await useCpuWorkers([worker]); // true
 */
export async function useCpuWorkers(workers: readonly CpuWorker[]): Promise<boolean> {
  if (!Array.isArray(workers)) {
    const got =
      typeof workers === 'object'
        ? workers === null
          ? 'null'
          : 'an object'
        : `the ${typeof workers} ${String(workers).slice(0, 100)}`;
    throw new TypeError(
      `useCpuWorkers: workers must be an array of workers started from cpuWorkerSource ([] for one thread), got ${got}`,
    );
  }
  const bad = workers.findIndex((w) => typeof (w as Partial<CpuWorker> | null)?.postMessage !== 'function');
  if (bad >= 0) {
    throw new TypeError(
      `useCpuWorkers: workers[${bad}] is not a worker (it has no postMessage method); start each with new Worker(cpuWorkerSource, { eval: true })`,
    );
  }
  if (workers.length === 0) {
    gemm?.pool?.close();
    gemm = undefined;
    return true;
  }
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const [b64, relaxed] = build(true);
  const mod = await compileWasm(b64);
  const seluMod = await compileWasm(seluSharedWasmBase64);
  if (mod === null || seluMod === null) return false;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  } catch {
    return false;
  }
  const pool = await WorkerPool.start(workers, mod, seluMod, memory);
  gemm?.pool?.close();
  gemm = instantiate(mod, relaxed, memory, pool, seluMod);
  return true;
}

/**
 * The worker pool and the shared memory grown to at least `bytes`, for a kernel other than matmul to split
 * a large job across the threads (the SELU kernel does); null without workers or if the memory cannot grow.
 * Jobs never overlap (the API is synchronous), so the caller may use the whole memory from byte 64 on.
 */
export function sharedWorkspace(
  bytes: number,
): { pool: WorkerPool; kernels: PoolKernels; f32: Float32Array } | null {
  const g = fastKernelsSelected() ? gemm : null;
  if (!g?.pool || !g.kernels || !growTo(g, bytes)) return null;
  return { pool: g.pool, kernels: g.kernels, f32: g.f32 };
}

/** Grows `g`'s memory to at least `bytes` (and refreshes its float view); false if the engine refuses. */
function growTo(g: Gemm, bytes: number): boolean {
  const mem = g.memory;
  if (bytes > mem.buffer.byteLength) {
    try {
      mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
    } catch {
      return false;
    }
  }
  if (g.f32.length * 4 !== mem.buffer.byteLength) g.f32 = new Float32Array(mem.buffer);
  return true;
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
  if (!gemm) {
    const [b64, relaxed] = build(false);
    gemm = instantiate(await compileWasm(b64), relaxed);
  }
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
    const g = fastKernelsSelected() ? current() : null;
    if (g !== null && runWasm(g, a, aOff, b, bOff, out, outOff, m, n, k, transA, transB, accumulate)) return;
  }
  matmulKernel(a, aOff, b, bOff, out, outOff, m, n, k, transA, transB, accumulate);
}

/** Copies the operands into wasm memory, runs `gemm` (split across workers), copies C back. */
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
  const threads = g.pool !== null && 2 * m * n * k >= PARALLEL_FLOPS ? g.pool.size + 1 : 1;
  // Per thread: the MR×NR edge tile, the packed A block (MC×KC), the packed B block (KC×NC, or less).
  const pbOff = 256 + g.mc * g.kc * 4;
  const scratch = align16(pbOff + g.kc * Math.ceil(Math.min(n, g.nc) / g.nr) * g.nr * 4);
  const aPtr = 64 + threads * scratch;
  const bPtr = aPtr + align16(m * k * 4);
  const cPtr = bPtr + align16(k * n * 4);
  // Beyond what this engine will give a wasm memory: the reference kernel copes.
  if (!growTo(g, cPtr + m * n * 4)) return false;
  const f32 = g.f32;
  f32.set(a.subarray(aOff, aOff + m * k), aPtr >> 2);
  f32.set(b.subarray(bOff, bOff + k * n), bPtr >> 2);
  if (accumulate) f32.set(out.subarray(outOff, outOff + m * n), cPtr >> 2);
  const args = [
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
  ];
  const run = g.ex.gemm as (...args: number[]) => void;
  if (threads === 1) {
    run(...args, 256, pbOff, 64);
  } else {
    // Cut the longer side of C into 2 slabs per thread (whole tiles); threads take slabs as they come free.
    const byCols = n >= m;
    const unit = byCols ? g.nr : g.mr;
    const tiles = Math.ceil((byCols ? n : m) / unit);
    const slabs = Math.min(2 * threads, tiles);
    const step = Math.ceil(tiles / slabs) * unit;
    g.pool!.run(
      { args, byCols, step, slabs: Math.ceil((byCols ? n : m) / step), scratch, pbOff },
      g.kernels!,
    );
  }
  out.set(f32.subarray(cPtr >> 2, (cPtr >> 2) + m * n), outOff);
  return true;
}
