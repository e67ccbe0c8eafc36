import { Rng } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { BatchSampler } from './sampler.ts';

describe('BatchSampler', () => {
  it('draws every available image once per epoch, and the images that arrived by the next epoch', () => {
    const s = new BatchSampler(new Rng(1));
    s.available = 10;
    const first = [...s.next(4), ...s.next(4), ...s.next(4)];
    expect(first).toHaveLength(10); // the last batch of an epoch is smaller
    expect(new Set(first).size).toBe(10);
    s.available = 20;
    const second = [...s.next(20)];
    expect([...second].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(s.epoch).toBe(2);
  });

  it('is seeded: the same seed gives the same batches', () => {
    const a = new BatchSampler(new Rng(7));
    const b = new BatchSampler(new Rng(7));
    a.available = b.available = 100;
    expect([...a.next(32)]).toEqual([...b.next(32)]);
  });

  it('names a bad batch size and an empty training set', () => {
    const s = new BatchSampler(new Rng(1));
    expect(() => s.next(4)).toThrow('BatchSampler.next: no training images yet (available is 0)');
    s.available = 5;
    expect(() => s.next(0)).toThrow('BatchSampler.next: size must be a positive integer, got 0');
  });
});
