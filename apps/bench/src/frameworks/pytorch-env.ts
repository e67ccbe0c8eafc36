/**
 * Where PyTorch comes from: Debian's system Python with torch (a reference, never a dependency), OpenBLAS
 * first on LD_LIBRARY_PATH, and the detection that marks the columns "not installed" instead of failing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Python with torch: `SELFNORM_BENCH_PYTHON`, else Debian's (the pyenv `python3` on PATH has none). */
export const PYTHON = process.env.SELFNORM_BENCH_PYTHON ?? '/usr/bin/python3';

/** Debian's libopenblas0-pthread folders; the first that exists goes first on LD_LIBRARY_PATH. */
const OPENBLAS_DIRS = [
  '/usr/lib/x86_64-linux-gnu/openblas-pthread',
  '/usr/lib/aarch64-linux-gnu/openblas-pthread',
];

/**
 * The environment of a torch process on `threads` threads, with OpenBLAS first where it is installed. On more
 * than one thread, OpenMP's idle threads sleep (`OMP_WAIT_POLICY=PASSIVE`) instead of spinning: spinning, they
 * take the second core from OpenBLAS's own thread during each product, and W2a fell to ~1,000 samples/s from
 * ~6,000–13,000 on our 2-core machine (docs/BENCHMARKS.md).
 */
export function pythonEnv(threads: number): NodeJS.ProcessEnv {
  const blas = OPENBLAS_DIRS.find((d) => existsSync(d));
  const libPath = [blas, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  const n = String(threads);
  const env = { ...process.env, LD_LIBRARY_PATH: libPath, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n };
  return threads > 1 ? { ...env, OMP_WAIT_POLICY: 'PASSIVE' } : env;
}

/** Whether torch imports, and its version, or why not. */
export type TorchStatus = { installed: true; version: string } | { installed: false; reason: string };

/**
 * Detects torch without failing: runs `python -c 'import torch'`.
 * @example detectTorch('/nonexistent/python3') // { installed: false, reason: '/nonexistent/python3: ENOENT' }
 */
export function detectTorch(python = PYTHON): TorchStatus {
  const res = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
    env: pythonEnv(1),
    timeout: 60_000,
  });
  if (res.error)
    return { installed: false, reason: `${python}: ${(res.error as NodeJS.ErrnoException).code}` };
  const version = res.stdout?.trim() ?? '';
  if (res.status !== 0 || version === '') {
    const why = res.stderr?.trim().split('\n').pop() ?? '';
    return { installed: false, reason: `${python}: exit ${res.status} ${why.slice(0, 100)}`.trim() };
  }
  return { installed: true, version };
}

/** What a PyTorch run reports beside its figures (see runPytorch in pytorch.ts). */
export interface PytorchInfo {
  torch: string;
  threads: number;
  /** The BLAS libraries mapped into the Python process (from /proc/self/maps). */
  blas: string[];
  /** W2: the first two steps' losses (before and after one update) on PyTorch and selfnorm; null otherwise. */
  losses: { pytorch: number[]; selfnorm: number[]; maxDiff: number; agree: boolean } | null;
}

/**
 * One line for the bench's output: what a PyTorch run ran on and, for W2, its losses beside selfnorm's.
 * @example describePytorch('pytorch-1t', 'W3', { torch: '1.13.0', threads: 1, blas: [], losses: null })
 * // 'pytorch-1t W3: torch 1.13.0, 1 thread, BLAS (none mapped)'
 */
export function describePytorch(id: string, workload: string, info: PytorchInfo): string {
  const names = info.blas.map((p) => p.slice(p.lastIndexOf('/', p.lastIndexOf('/') - 1) + 1));
  const head = `${id} ${workload}: torch ${info.torch}, ${info.threads} thread${info.threads === 1 ? '' : 's'}, BLAS ${names.join(' ') || '(none mapped)'}`;
  if (!info.losses) return head;
  const l = info.losses;
  const f = (xs: number[]) => xs.map((x) => x.toFixed(7)).join(', ');
  return `${head}; losses of steps 1, 2: pytorch ${f(l.pytorch)}, selfnorm ${f(l.selfnorm)} (max |Δ| ${l.maxDiff.toExponential(1)}, ${l.agree ? 'agree' : 'DIFFER'})`;
}
