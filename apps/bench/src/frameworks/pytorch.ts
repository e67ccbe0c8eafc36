/**
 * PyTorch as a reference column: Debian's system Python with torch (never a dependency). The inputs are
 * generated here, as for every framework, and written to pytorch-bench.py's stdin, which times the workload
 * itself (the same warm-ups, repetitions and median as stats.ts) and reports its own peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkloadId } from '../args';
import type { TimingSpec } from '../run';
import type { Figure } from '../table';
import {
  FROM_MS,
  LABELS,
  MATMUL_CASES,
  MLP_SPECS,
  matmulSizes,
  mlpData,
  normalData,
  SELU_SIZE,
} from '../workloads';
import { PYTHON, type PytorchInfo, pythonEnv } from './pytorch-env';
import { selfnorm } from './selfnorm';

const SCRIPT = fileURLToPath(new URL('./pytorch-bench.py', import.meta.url));

type Input = { name: string; data: Float32Array | Int32Array };

/** The job pytorch-bench.py runs (argv[1]) and its stdin: the workload's arrays back to back. */
export function pytorchJob(workload: WorkloadId, threads: number, timing: TimingSpec) {
  const inputs: Input[] = [];
  let extra: Record<string, unknown>;
  if (workload === 'W1') {
    const sizes = matmulSizes(timing.quick);
    for (const n of sizes) inputs.push({ name: `a${n}`, data: normalData(1, n * n) });
    for (const n of sizes) inputs.push({ name: `b${n}`, data: normalData(2, n * n) });
    extra = { sizes, cases: MATMUL_CASES };
  } else if (workload === 'W3') {
    inputs.push({ name: 'x', data: normalData(3, SELU_SIZE) }, { name: 'g', data: normalData(4, SELU_SIZE) });
    extra = { label: LABELS.selu };
  } else if (workload === 'W4') {
    throw new RangeError(
      'pytorchJob: pytorch-bench.py has no CNN (W4) yet; run W4 on the JavaScript frameworks',
    );
  } else {
    const spec = MLP_SPECS[workload];
    const data = mlpData(spec);
    inputs.push({ name: 'x', data: data.x }, { name: 'labels', data: data.labels });
    for (const [i, w] of data.weights.entries()) inputs.push({ name: `w${i}`, data: w });
    extra = { label: LABELS.step(spec), sizes: data.sizes, batch: spec.batch, lr: spec.lr };
  }
  const arrays = inputs.map(({ name, data }) => ({
    name,
    dtype: data instanceof Int32Array ? 'int32' : 'float32',
    length: data.length,
  }));
  const job = { workload, threads, ...timing, arrays, ...extra };
  const stdin = Buffer.concat(
    inputs.map(({ data }) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  );
  return { job, stdin };
}

/** What pytorch-bench.py prints. */
export interface PytorchOutput {
  ms: Record<string, number>;
  maxRssMB: number;
  torch: string;
  threads: number;
  blas: string[];
  /** W2: the losses of the first two steps (before and after one SGD update); null otherwise. */
  losses: [number, number] | null;
}

/** The table's figures from pytorch-bench.py's median times, in the units of run.ts. */
export function pytorchFigures(
  id: 'pytorch' | 'pytorch-1t',
  workload: WorkloadId,
  ms: Record<string, number>,
): Figure[] {
  const fig = (label: string, unit: string, higherIsBetter: boolean, f: (ms: number) => number): Figure => {
    if (!(ms[label] > 0)) throw new RangeError(`pytorchFigures: no time for "${label}", got ${ms[label]}`);
    return { workload, label, unit, higherIsBetter, values: { [id]: f(ms[label]) } };
  };
  if (workload === 'W1') {
    return Object.keys(ms).map((label) => {
      const n = Number(/^n=(\d+) /.exec(label)?.[1]);
      return fig(label, 'GFLOP/s', true, (t) => FROM_MS.gflops(n, t));
    });
  }
  if (workload === 'W3') return [fig(LABELS.selu, 'ns/element', false, FROM_MS.nsPerElement)];
  if (workload === 'W4') throw new RangeError('pytorchFigures: pytorch-bench.py has no CNN (W4) yet');
  const spec = MLP_SPECS[workload];
  return [fig(LABELS.step(spec), 'samples/s', true, (t) => FROM_MS.samplesPerS(spec, t))];
}

/** The largest |Δ| allowed between PyTorch's and selfnorm's W2 losses, relative to max(1, |loss|). */
export const LOSS_TOLERANCE = 1e-5;

/** PyTorch's and selfnorm's first two W2 losses side by side, and whether they agree to LOSS_TOLERANCE. */
export function compareLosses(
  pytorch: readonly number[],
  own: readonly number[],
): NonNullable<PytorchInfo['losses']> {
  if (pytorch.length !== own.length || own.length === 0) {
    throw new RangeError(
      `compareLosses: expected two equally long lists, got ${pytorch.length} and ${own.length}`,
    );
  }
  const maxDiff = Math.max(...own.map((v, i) => Math.abs(v - pytorch[i]) / Math.max(1, Math.abs(v))));
  return { pytorch: [...pytorch], selfnorm: [...own], maxDiff, agree: maxDiff <= LOSS_TOLERANCE };
}

/** selfnorm's (one thread) losses of the first two W2 steps on the same data. */
function selfnormLosses(workload: 'W2a' | 'W2b'): number[] {
  const spec = MLP_SPECS[workload];
  const runner = selfnorm.trainStep(spec, mlpData(spec));
  const losses = [0, 1].map(() => (runner.run() as { item(): number }).item());
  runner.dispose();
  return losses;
}

/**
 * Runs `workload` on PyTorch (`pytorch`: 2 threads, `pytorch-1t`: 1) in a Python child: its figures, its
 * peak RSS, and what it ran on. For W2 it also compares the first two losses with selfnorm's and throws
 * if they differ by more than LOSS_TOLERANCE (then the column would not measure the same computation).
 */
export function runPytorch(
  id: 'pytorch' | 'pytorch-1t',
  workload: WorkloadId,
  timing: TimingSpec,
): { figures: Figure[]; maxRssMB: number; pytorch: PytorchInfo } {
  const threads = id === 'pytorch' ? 2 : 1;
  const { job, stdin } = pytorchJob(workload, threads, timing);
  const res = spawnSync(PYTHON, [SCRIPT, JSON.stringify(job)], {
    input: stdin,
    encoding: 'utf8',
    env: pythonEnv(threads),
    maxBuffer: 16 << 20,
  });
  const last = res.stdout?.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !last.startsWith('{')) {
    throw new Error(`runPytorch: ${PYTHON} ${SCRIPT} exited ${res.status}: ${res.stderr?.slice(-1000)}`);
  }
  const out = JSON.parse(last) as PytorchOutput;
  const losses =
    out.losses && (workload === 'W2a' || workload === 'W2b')
      ? compareLosses(out.losses, selfnormLosses(workload))
      : null;
  if (losses && !losses.agree) {
    throw new Error(`runPytorch: ${workload} losses differ by ${losses.maxDiff}: ${JSON.stringify(losses)}`);
  }
  const info: PytorchInfo = { torch: out.torch, threads: out.threads, blas: out.blas, losses };
  return { figures: pytorchFigures(id, workload, out.ms), maxRssMB: out.maxRssMB, pytorch: info };
}
