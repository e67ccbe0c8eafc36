import type { Rng } from '@selfnorm/tensor';

/**
 * Draws mini-batches of indices without replacement, epoch by epoch, over a training set that may grow
 * while it trains (the page streams MNIST in): each new epoch shuffles every image available by then.
 * Shuffling is Fisher–Yates with the seeded `rng`.
 *
 * @example
 * const sampler = new BatchSampler(rng);
 * sampler.available = 5000;
 * const idx = sampler.next(128); // 128 distinct indices in 0..4999
 */
export class BatchSampler {
  /** Images that may be drawn (0..available − 1). */
  available = 0;
  /** Full passes started. */
  epoch = 0;
  #order = new Uint32Array(0);
  #at = 0;

  constructor(private readonly rng: Rng) {}

  /** The next `size` indices (fewer at the end of an epoch: the next call starts a new one). */
  next(size: number): Uint32Array {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`BatchSampler.next: size must be a positive integer, got ${String(size)}`);
    if (this.available < 1) throw new Error('BatchSampler.next: no training images yet (available is 0)');
    if (this.#at >= this.#order.length) this.#shuffle();
    const out = this.#order.slice(this.#at, this.#at + size);
    this.#at += out.length;
    return out;
  }

  #shuffle(): void {
    const n = this.available;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.rng.int(0, i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    this.#order = order;
    this.#at = 0;
    this.epoch++;
  }
}
