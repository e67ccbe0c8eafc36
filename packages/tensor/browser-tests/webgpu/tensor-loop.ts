/**
 * A W2a-shaped training loop at the Tensor level (matmul + bias, SELU, logSoftmax + gather cross-entropy,
 * backward, an in-place SGD step through the device's axpy kernel): the same code on 'cpu' and 'webgpu'.
 */
import * as T from '../../src/index';
import { initWeights } from './mlp';

/** Parameters [W (in × out), b] per layer on `device`, from one seed. */
export function makeParams(widths: readonly number[], device: string): T.Tensor[] {
  return initWeights(widths, 42).map((w, i) => {
    const l = Math.floor(i / 2);
    const shape = i % 2 === 0 ? [widths[l], widths[l + 1]] : [widths[l + 1]];
    return T.tensor(w, { shape, device, requiresGrad: true });
  });
}

/**
 * One SGD step; returns the loss (a 0-d tensor the caller reads and disposes). Every other tensor it makes
 * is disposed before it returns, so the pool serves the next step.
 */
export function sgdStep(params: T.Tensor[], x: T.Tensor, y: T.Tensor, lr: number): T.Tensor {
  const made: T.Tensor[] = [];
  const keep = <U extends T.Tensor>(t: U): U => {
    made.push(t);
    return t;
  };
  let h = x;
  const L = params.length / 2;
  for (let l = 0; l < L; l++) {
    const z = keep(T.add(keep(T.matmul(h, params[2 * l])), params[2 * l + 1]));
    h = l < L - 1 ? keep(T.selu(z)) : z;
  }
  const picked = keep(T.gather(keep(T.logSoftmax(h, -1)), 1, y));
  const loss = T.neg(keep(T.mean(picked)));
  loss.backward();
  for (const p of params) {
    const g = p.grad!;
    p.device.kernels.axpy(-lr, g.buffer, p.buffer);
    p.markModified();
    g.dispose();
    p.grad = null;
  }
  for (const t of made) t.dispose();
  return loss;
}

/** A batch as the bench's W2a draws it: standard-normal inputs, uniform random labels. */
export function normalBatch(
  rng: T.Rng,
  bsz: number,
  features: number,
  classes: number,
): [Float32Array, Float32Array] {
  const x = new Float32Array(bsz * features).map(() => rng.normal());
  const y = new Float32Array(bsz).map(() => rng.int(0, classes));
  return [x, y];
}

/** How `tensorLosses` runs. */
export interface LoopOptions {
  /** One batch for every step (the bench's W2a), instead of a fresh one per step. */
  fixedBatch?: boolean;
  /** Read the loss every this many steps (and at the last). Default 1. */
  readEvery?: number;
  /** Called after each read (the memory test collects garbage there). */
  onRead?: () => Promise<void>;
}

/** `steps` SGD steps from seeded weights and batches (the same on every device); the losses read. */
export async function tensorLosses(
  device: string,
  widths: number[],
  steps: number,
  bsz: number,
  lr: number,
  options: LoopOptions = {},
): Promise<number[]> {
  const { fixedBatch = false, readEvery = 1, onRead } = options;
  const params = makeParams(widths, device);
  const rng = new T.Rng(99);
  const classes = widths[widths.length - 1];
  const fixed = normalBatch(rng, bsz, widths[0], classes);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const [xs, ys] = fixedBatch ? fixed : normalBatch(rng, bsz, widths[0], classes);
    const x = T.tensor(xs, { shape: [bsz, widths[0]], device });
    const y = T.tensor(ys, { shape: [bsz, 1], device });
    const loss = sgdStep(params, x, y, lr);
    if ((i + 1) % readEvery === 0 || i === steps - 1) {
      out.push((await loss.read())[0]);
      await onRead?.();
    }
    for (const t of [x, y, loss]) t.dispose();
  }
  for (const p of params) p.dispose();
  return out;
}
