/** Runs one workload on one framework and returns its figures (the orchestration lives in main.ts). */
import { cpus } from 'node:os';
import type { BenchOptions, FrameworkId, WorkloadId } from './args';
import type { Framework } from './frameworks/types';
import { timeMedian } from './stats';
import type { Figure } from './table';
import { startCpuWorkers } from './threads';
import {
  CNN_SPEC,
  CONV_SPEC,
  cnnData,
  convData,
  FROM_MS,
  LABELS,
  MATMUL_CASES,
  MLP_SPECS,
  matmulSizes,
  mlpData,
  normalData,
  SELU_SIZE,
} from './workloads';

/** Imports a framework only when it runs, so a child process holds one framework's code and memory. */
export async function loadFramework(id: FrameworkId): Promise<Framework> {
  switch (id) {
    case 'selfnorm':
      await startCpuWorkers(cpus().length - 1);
      return (await import('./frameworks/selfnorm')).selfnorm;
    case 'selfnorm-1t':
      return (await import('./frameworks/selfnorm')).selfnorm;
    case 'selfnorm-kernels':
      await startCpuWorkers(cpus().length - 1);
      return (await import('./frameworks/selfnorm-kernels')).selfnormKernels;
    case 'tfjs-cpu':
      return (await import('./frameworks/tfjs')).tfjs('cpu');
    case 'tfjs-wasm':
      return (await import('./frameworks/tfjs')).tfjs('wasm');
    case 'jax-wasm':
      return (await import('./frameworks/jax')).jaxWasm();
    case 'selfnorm-webgpu':
      throw new RangeError(
        'loadFramework: selfnorm-webgpu has no workloads yet (they need tensors on the WebGPU device: the backend seam)',
      );
    case 'pytorch':
    case 'pytorch-1t':
      throw new RangeError(`loadFramework: ${id} runs in Python; use runPytorch from frameworks/pytorch.ts`);
  }
}

type Timing = Pick<BenchOptions, 'quick' | 'reps' | 'warmup'>;

/** What timeMedian is given (and pytorch-bench.py copies): counts, and the least ms of warm-up and of timing. */
export interface TimingSpec {
  quick: boolean;
  reps: number;
  warmup: number;
  warmupMs: number;
  minMs: number;
}

/** Untimed warm-up of each figure lasts at least this long, beyond the `warmup` runs (none for --quick). */
const WARMUP_MS = 1000;
/** Timed runs of each figure last at least this long, beyond the `reps` runs (none for --quick). */
const TIMED_MS = 3000;

/** W4's figures stop timing a framework after this long (and at least 1 + 1 runs): see `timeMedian`. */
const W4_MAX_MS = 20_000;

/** The timing of a run: WARMUP_MS and TIMED_MS at least, except with --quick. */
export function timingOf(options: Timing): TimingSpec {
  return { ...options, warmupMs: options.quick ? 0 : WARMUP_MS, minMs: options.quick ? 0 : TIMED_MS };
}

/**
 * The figures of `workload` on framework `id`: W1 GFLOP/s per size and layout, W2 samples/s,
 * W3 ns per element, W4 samples/s of a CNN step and conv2d GFLOP/s. Each figure is the median of `reps` timed runs after `warmup` untimed ones (and, except
 * with --quick, of at least TIMED_MS of timed runs after at least WARMUP_MS of untimed ones).
 */
export async function runWorkload(id: FrameworkId, workload: WorkloadId, options: Timing): Promise<Figure[]> {
  const timing = timingOf(options);
  const fw = await loadFramework(id);
  const figures: Figure[] = [];
  const add = (label: string, unit: string, higherIsBetter: boolean, value: number) =>
    figures.push({ workload, label, unit, higherIsBetter, values: { [id]: value } });
  if (workload === 'W1') {
    for (const n of matmulSizes(timing.quick)) {
      const a = normalData(1, n * n);
      const b = normalData(2, n * n);
      for (const c of MATMUL_CASES) {
        const runner = fw.matmul(a, b, n, c.transA, c.transB);
        const ms = await timeMedian(() => runner.run(), timing);
        runner.dispose();
        add(LABELS.matmul(n, c.label), 'GFLOP/s', true, FROM_MS.gflops(n, ms));
      }
    }
  } else if (workload === 'W3') {
    const runner = fw.selu(normalData(3, SELU_SIZE), normalData(4, SELU_SIZE));
    const ms = await timeMedian(() => runner.run(), timing);
    runner.dispose();
    add(LABELS.selu, 'ns/element', false, FROM_MS.nsPerElement(ms));
  } else if (workload === 'W4') {
    // jax-js takes minutes per CNN step on the shared machine: past W4_MAX_MS, one timed run after one warm-up.
    const slow = { ...timing, maxMs: W4_MAX_MS };
    if (id !== 'selfnorm-kernels') {
      const step = fw.cnnStep(CNN_SPEC, cnnData(CNN_SPEC));
      const ms = await timeMedian(() => step.run(), slow);
      step.dispose();
      add(LABELS.cnnStep(CNN_SPEC), 'samples/s', true, FROM_MS.cnnSamplesPerS(CNN_SPEC, ms));
    }
    const d = convData(CONV_SPEC);
    const conv = fw.conv(CONV_SPEC, d.x, d.w, d.g);
    const ms = await timeMedian(() => conv.run(), slow);
    conv.dispose();
    add(LABELS.conv(CONV_SPEC), 'GFLOP/s', true, FROM_MS.convGflops(CONV_SPEC, ms));
  } else {
    const spec = MLP_SPECS[workload];
    const runner = fw.trainStep(spec, mlpData(spec));
    const ms = await timeMedian(() => runner.run(), timing);
    runner.dispose();
    add(LABELS.step(spec), 'samples/s', true, FROM_MS.samplesPerS(spec, ms));
  }
  return figures;
}
