/** The workloads of issue 5, their inputs (seeded, identical for every framework) and their figures. */
import { Rng } from '@selfnorm/tensor';

/** W2: an MLP 784 → depth × hidden (SELU) → 10, softmax cross-entropy, plain SGD. */
export interface MlpSpec {
  inputs: number;
  hidden: number;
  depth: number;
  classes: number;
  batch: number;
  lr: number;
}

export const MLP_SPECS = {
  W2a: { inputs: 784, hidden: 512, depth: 8, classes: 10, batch: 128, lr: 0.01 },
  W2b: { inputs: 784, hidden: 256, depth: 32, classes: 10, batch: 128, lr: 0.01 },
} as const satisfies Record<string, MlpSpec>;

/** W1: the three operand layouts, all computing an n×n·n×n product. */
export const MATMUL_CASES = [
  { label: 'A·B', transA: false, transB: false },
  { label: 'Aᵀ·B', transA: true, transB: false },
  { label: 'A·Bᵀ', transA: false, transB: true },
] as const;

export const MATMUL_SIZES = [256, 512, 1024] as const;

/** The W1 sizes of a run: n = 256 only with --quick. */
export function matmulSizes(quick: boolean): readonly number[] {
  return quick ? [MATMUL_SIZES[0]] : MATMUL_SIZES;
}

/** W3: SELU forward and backward over 2^20 float32 elements. */
export const SELU_SIZE = 1 << 20;

/** The label of each workload's figure, as the table shows it (and pytorch-bench.py keys its timings). */
export const LABELS = {
  matmul: (n: number, layout: string) => `n=${n} ${layout}`,
  step: (spec: MlpSpec) => `train step ${spec.depth}×${spec.hidden}`,
  selu: 'SELU fwd+bwd 2^20',
} as const;

/** The figure of each workload from the median time of one repetition in ms. */
export const FROM_MS = {
  /** W1 GFLOP/s: 2n³ floating-point operations per product. */
  gflops: (n: number, ms: number) => (2 * n ** 3) / (ms * 1e6),
  /** W2 samples/s: one batch per step. */
  samplesPerS: (spec: MlpSpec, ms: number) => (spec.batch * 1000) / ms,
  /** W3 ns per element of the SELU input. */
  nsPerElement: (ms: number) => (ms * 1e6) / SELU_SIZE,
} as const;

/** Standard-normal float32 data from a seeded generator (the repo's only randomness). */
export function normalData(seed: number, size: number, scale = 1): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal() * scale;
  return out;
}

/** The inputs of one W2 run: a batch, its labels, and LeCun-normal weights in PyTorch's [out, in] layout. */
export interface MlpData {
  x: Float32Array;
  labels: Int32Array;
  /** weights[i] has shape [sizes[i + 1], sizes[i]]; biases start at zero. */
  weights: Float32Array[];
  sizes: number[];
}

/** Seeded inputs for a W2 spec, the same for every framework. */
export function mlpData(spec: MlpSpec, seed = 1): MlpData {
  const sizes = [spec.inputs, ...Array.from({ length: spec.depth }, () => spec.hidden), spec.classes];
  const rng = new Rng(seed);
  const labels = new Int32Array(spec.batch);
  for (let i = 0; i < spec.batch; i++) labels[i] = rng.int(0, spec.classes);
  const weights = sizes
    .slice(1)
    .map((out, i) => normalData(seed + 1 + i, out * sizes[i], 1 / Math.sqrt(sizes[i])));
  return { x: normalData(seed, spec.batch * spec.inputs), labels, weights, sizes };
}

/** Transposes a row-major [rows, cols] matrix into [cols, rows]. */
export function transposed(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}
