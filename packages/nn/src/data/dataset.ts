import { type Rng, Tensor } from '@selfnorm/tensor';
import { preview } from '../serialize/preview';

/**
 * Anything a `DataLoader` can batch: a length, and the rows at some indices as one tensor per field
 * (inputs, targets, …), each with the batch as its first dimension.
 */
export interface Dataset {
  /** The number of samples. */
  readonly length: number;
  /** The samples at `indices` (each in 0..length−1), stacked: one tensor per field. */
  batch(indices: ArrayLike<number>): Tensor[];
}

/**
 * Samples held in tensors that share their first dimension, PyTorch's `TensorDataset`: sample i is row i of
 * each tensor. Class labels may be a float tensor of integer values (as `crossEntropy` takes them).
 * @example
 * const data = new TensorDataset(x, y); // x: [N, 784], y: [N]
 * const [xs, ys] = data.batch([0, 5, 9]); // xs: [3, 784], ys: [3]
 */
export class TensorDataset implements Dataset {
  readonly tensors: readonly Tensor[];
  readonly length: number;

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new RangeError('TensorDataset: pass at least one tensor');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor))
        throw new TypeError(`TensorDataset: argument ${i} is not a Tensor; wrap arrays with tensor()`);
      if (t.ndim === 0)
        throw new RangeError(`TensorDataset: tensor ${i} is 0-d; samples are rows of the first dimension`);
      if (t.shape[0] !== tensors[0].shape[0])
        throw new RangeError(
          `TensorDataset: tensor ${i} has ${t.shape[0]} rows (shape [${t.shape}]), but tensor 0 has ${tensors[0].shape[0]}; ` +
            'every tensor needs one row per sample',
        );
    });
    this.tensors = Object.freeze(tensors.slice());
    this.length = tensors[0].shape[0];
  }

  batch(indices: ArrayLike<number>): Tensor[] {
    const n = indices.length;
    for (let i = 0; i < n; i++) {
      const k = indices[i];
      if (!Number.isInteger(k) || k < 0 || k >= this.length)
        throw new RangeError(`TensorDataset.batch: index ${i} is ${k}, outside 0..${this.length - 1}`);
    }
    return this.tensors.map((t) => {
      const row = t.size / t.shape[0];
      const out = t.dtype === 'float64' ? new Float64Array(n * row) : new Float32Array(n * row);
      const src = t.storage;
      for (let i = 0; i < n; i++) out.set(src.subarray(indices[i] * row, (indices[i] + 1) * row), i * row);
      return new Tensor(out, [n, ...t.shape.slice(1)]);
    });
  }
}

/**
 * The samples of `dataset` at `indices`, in that order, PyTorch's `Subset` (what `randomSplit` returns).
 */
export class Subset implements Dataset {
  readonly dataset: Dataset;
  readonly indices: Uint32Array;

  constructor(dataset: Dataset, indices: ArrayLike<number>) {
    this.dataset = dataset;
    this.indices = Uint32Array.from(indices, (k, i) => {
      if (!Number.isInteger(k) || k < 0 || k >= dataset.length)
        throw new RangeError(`Subset: index ${i} is ${k}, outside 0..${dataset.length - 1}`);
      return k;
    });
  }

  get length(): number {
    return this.indices.length;
  }

  batch(indices: ArrayLike<number>): Tensor[] {
    const mapped = new Uint32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i];
      if (!Number.isInteger(k) || k < 0 || k >= this.length)
        throw new RangeError(`Subset.batch: index ${i} is ${k}, outside 0..${this.length - 1}`);
      mapped[i] = this.indices[k];
    }
    return this.dataset.batch(mapped);
  }
}

/** Options of `randomSplit`. */
export interface RandomSplitOptions {
  /** The generator of the permutation. */
  rng: Rng;
}

/**
 * Splits `dataset` into non-overlapping random subsets, PyTorch's `random_split`: `lengths` are sample counts
 * that add up to the dataset's length, or fractions that add up to 1 (each gets ⌊fraction·N⌋, and the rest is
 * given one by one to the first subsets, as PyTorch does).
 * @example const [train, val] = randomSplit(data, [0.8, 0.2], { rng: new Rng(0) });
 */
export function randomSplit(
  dataset: Dataset,
  lengths: readonly number[],
  { rng }: RandomSplitOptions,
): Subset[] {
  const where = 'randomSplit';
  if (dataset === null || typeof dataset?.batch !== 'function' || !Number.isInteger(dataset.length))
    throw new TypeError(`${where}: dataset must be a Dataset (such as a TensorDataset)`);
  if (rng === undefined || typeof rng?.shuffle !== 'function')
    throw new TypeError(`${where}: pass { rng } (a seeded Rng): every random draw is explicit`);
  if (
    !Array.isArray(lengths) ||
    lengths.length === 0 ||
    lengths.some((l) => typeof l !== 'number' || !(l >= 0))
  )
    throw new RangeError(
      `${where}: lengths must be a non-empty array of numbers >= 0, got ${preview(lengths)}`,
    );
  const n = dataset.length;
  let counts = lengths.slice();
  const total = counts.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) <= 1e-9 && total <= 1) {
    counts = lengths.map((f) => Math.floor(n * f));
    const rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < rest; i++) counts[i % counts.length] += 1;
  } else if (!counts.every(Number.isInteger) || total !== n) {
    throw new RangeError(
      `${where}: lengths [${lengths.join(', ')}] add up to ${total}, but the dataset has ${n} samples; ` +
        'give counts that add up to it, or fractions that add up to 1',
    );
  }
  const order = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i)) as Uint32Array;
  let offset = 0;
  return counts.map((c) => {
    const part = new Subset(dataset, order.subarray(offset, offset + c));
    offset += c;
    return part;
  });
}
