import type { Rng, Tensor } from '@selfnorm/tensor';
import { preview } from '../serialize/preview';
import type { Dataset } from './dataset';

/** Options of `DataLoader`. */
export interface DataLoaderOptions {
  /** Samples per batch. Default 1, as PyTorch. */
  batchSize?: number;
  /** Visit the samples in a new random order each epoch (needs `rng`). Default false. */
  shuffle?: boolean;
  /** The generator of the shuffles; its stream advances by one permutation per epoch. */
  rng?: Rng;
  /** Leave out the last batch of an epoch when it is smaller than `batchSize`. Default false. */
  dropLast?: boolean;
}

/**
 * Batches of a dataset, PyTorch's `DataLoader` on one thread: each `for … of` is one epoch, shuffled anew
 * when `shuffle` is set, and yields one tensor per field of the dataset, the batch first. Only the batch
 * being yielded is copied, never the whole dataset.
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 128, shuffle: true, rng });
 * for (let epoch = 0; epoch < 10; epoch++)
 *   for (const [xb, yb] of loader) { … }
 */
export class DataLoader implements Iterable<Tensor[]> {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly rng: Rng | undefined;

  constructor(
    dataset: Dataset,
    { batchSize = 1, shuffle = false, rng, dropLast = false }: DataLoaderOptions = {},
  ) {
    const where = 'DataLoader';
    if (dataset === null || typeof dataset?.batch !== 'function' || !Number.isInteger(dataset.length))
      throw new TypeError(`${where}: dataset must be a Dataset (such as a TensorDataset)`);
    if (!Number.isSafeInteger(batchSize) || batchSize <= 0)
      throw new RangeError(`${where}: batchSize must be a positive integer, got ${preview(batchSize)}`);
    if (typeof shuffle !== 'boolean' || typeof dropLast !== 'boolean')
      throw new TypeError(`${where}: shuffle and dropLast must be booleans`);
    if (shuffle && typeof rng?.shuffle !== 'function')
      throw new TypeError(
        `${where}: shuffle: true needs { rng } (a seeded Rng): every random draw is explicit`,
      );
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.rng = rng;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  *[Symbol.iterator](): Iterator<Tensor[]> {
    const n = this.dataset.length;
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    if (this.shuffle) (this.rng as Rng).shuffle(order);
    const end = this.dropLast ? n - (n % this.batchSize) : n;
    for (let start = 0; start < end; start += this.batchSize) {
      yield this.dataset.batch(order.subarray(start, Math.min(start + this.batchSize, n)));
    }
  }
}
