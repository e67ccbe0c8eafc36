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

/**
 * W4: the default CNN of `pnpm train --model cnn` without dropout: [conv 3×3 (padding 1, bias) → SELU →
 * max-pool 2] × 2 (1 → channels[0] → channels[1], 28 → 14 → 7) → Linear(channels[1]·49, hidden) → SELU →
 * Linear(hidden, classes), softmax cross-entropy, plain SGD.
 */
export interface CnnSpec {
  channels: readonly [number, number];
  hidden: number;
  classes: number;
  batch: number;
  lr: number;
}

export const CNN_SPEC: CnnSpec = { channels: [16, 32], hidden: 128, classes: 10, batch: 128, lr: 0.01 };

/** W4's conv2d alone: batch 128, 32 → 64 channels, 3×3, padding 1, 28×28 (forward + both adjoints). */
export const CONV_SPEC = { batch: 128, inChannels: 32, outChannels: 64, size: 28, kernel: 3 } as const;
export type ConvSpec = typeof CONV_SPEC;

/** Floating-point operations of one forward convolution: 2·N·O·C·k²·H·W (padding 1 keeps H × W). */
export function convFlops(c: ConvSpec): number {
  return 2 * c.batch * c.outChannels * c.inChannels * c.kernel ** 2 * c.size ** 2;
}

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
  cnnStep: (spec: CnnSpec) => `CNN train step ${spec.channels.join('/')}`,
  conv: (c: ConvSpec) => `conv2d ${c.inChannels}→${c.outChannels} ${c.kernel}×${c.kernel} ${c.size}² fwd+bwd`,
} as const;

/** The figure of each workload from the median time of one repetition in ms. */
export const FROM_MS = {
  /** W1 GFLOP/s: 2n³ floating-point operations per product. */
  gflops: (n: number, ms: number) => (2 * n ** 3) / (ms * 1e6),
  /** W2 samples/s: one batch per step. */
  samplesPerS: (spec: MlpSpec, ms: number) => (spec.batch * 1000) / ms,
  /** W3 ns per element of the SELU input. */
  nsPerElement: (ms: number) => (ms * 1e6) / SELU_SIZE,
  /** W4 samples/s of a CNN step. */
  cnnSamplesPerS: (spec: CnnSpec, ms: number) => (spec.batch * 1000) / ms,
  /** W4 conv GFLOP/s: forward, input adjoint and weight adjoint, each 2·N·O·C·k²·H·W. */
  convGflops: (c: ConvSpec, ms: number) => (3 * convFlops(c)) / (ms * 1e6),
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

/**
 * The inputs of one W4 step: images [batch, 1, 28, 28], labels, and LeCun-normal weights (std 1/√fanIn) in
 * PyTorch's layouts: conv weights [out, in, 3, 3], Linear weights [out, in] (the first Linear's inputs in
 * NCHW flatten order, channel-major). Biases start at zero.
 */
export interface CnnData {
  x: Float32Array;
  labels: Int32Array;
  conv: [Float32Array, Float32Array];
  linear: [Float32Array, Float32Array];
}

/** Seeded inputs for W4, the same for every framework. */
export function cnnData(spec: CnnSpec, seed = 1): CnnData {
  const [c1, c2] = spec.channels;
  const rng = new Rng(seed);
  const labels = new Int32Array(spec.batch);
  for (let i = 0; i < spec.batch; i++) labels[i] = rng.int(0, spec.classes);
  const flat = c2 * 7 * 7;
  return {
    x: normalData(seed, spec.batch * 28 * 28),
    labels,
    conv: [normalData(seed + 1, c1 * 9, 1 / 3), normalData(seed + 2, c2 * c1 * 9, 1 / Math.sqrt(c1 * 9))],
    linear: [
      normalData(seed + 3, spec.hidden * flat, 1 / Math.sqrt(flat)),
      normalData(seed + 4, spec.classes * spec.hidden, 1 / Math.sqrt(spec.hidden)),
    ],
  };
}

/** The inputs of W4's conv2d: x [N, C, H, W], w [O, C, k, k] (LeCun normal) and an upstream gradient. */
export function convData(c: ConvSpec, seed = 5) {
  const n = c.batch * c.size * c.size;
  return {
    x: normalData(seed, n * c.inChannels),
    w: normalData(
      seed + 1,
      c.outChannels * c.inChannels * c.kernel ** 2,
      1 / Math.sqrt(c.inChannels * c.kernel ** 2),
    ),
    g: normalData(seed + 2, n * c.outChannels),
  };
}

/** Permutes a row-major array of shape `shape` by `perm` (out axis i = in axis perm[i]). */
export function permuted(a: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const nd = shape.length;
  const strides = new Array<number>(nd);
  for (let d = nd - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  const outShape = perm.map((p) => shape[p]);
  const out = new Float32Array(a.length);
  const idx = new Array<number>(nd).fill(0);
  for (let o = 0; o < a.length; o++) {
    let src = 0;
    for (let d = 0; d < nd; d++) src += idx[d] * strides[perm[d]];
    out[o] = a[src];
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}
