import { describe, expect, it } from 'vitest';
import {
  arange,
  eye,
  full,
  ones,
  onesLike,
  Rng,
  rand,
  randint,
  randn,
  tensor,
  zeros,
  zerosLike,
} from './index';

describe('tensor()', () => {
  it('from a number: a 0-d tensor', () => {
    const t = tensor(2.5);
    expect(t.shape).toEqual([]);
    expect(t.ndim).toBe(0);
    expect(t.size).toBe(1);
    expect(t.dtype).toBe('float32');
    expect(t.item()).toBe(2.5);
    expect(t.toArray()).toBe(2.5);
  });

  it('from nested arrays: shape inferred, row-major storage', () => {
    const t = tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    expect(t.shape).toEqual([1, 2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).toEqual([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(tensor([[], []]).toArray()).toEqual([[], []]);
  });

  it('from typed arrays: 1-D unless a shape is given; the dtype follows the array; always a copy', () => {
    const src = Float64Array.of(1, 2, 3, 4, 5, 6);
    const t = tensor(src, { shape: [2, 3] });
    expect(t.dtype).toBe('float64');
    expect(t.shape).toEqual([2, 3]);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    src[0] = 99;
    expect(t.data[0]).toBe(1);
    const f = tensor(Float32Array.of(0.5, 1.5));
    expect(f.dtype).toBe('float32');
    expect(f.shape).toEqual([2]);
    expect(tensor([1, 2, 3, 4], { shape: [2, 2] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('dtype: float32 by default (values rounded), float64 on request, conversion of typed arrays', () => {
    expect(tensor([0.1]).data[0]).toBe(Math.fround(0.1));
    expect(tensor([0.1]).data).toBeInstanceOf(Float32Array);
    const d = tensor([0.1], { dtype: 'float64' });
    expect(d.data).toBeInstanceOf(Float64Array);
    expect(d.data[0]).toBe(0.1);
    expect(tensor(Float64Array.of(0.1), { dtype: 'float32' }).data[0]).toBe(Math.fround(0.1));
    expect(tensor(Float32Array.of(0.5), { dtype: 'float64' }).dtype).toBe('float64');
    expect(tensor([1], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(tensor([1]).requiresGrad).toBe(false);
  });

  it('ragged nested arrays are an error naming the depth and the expected size', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow('expected 2 elements at depth 1 (shape [2, 2]), got 1');
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/ragged nested array.*got a number/);
    expect(() => tensor([1, [2]] as never)).toThrow(/expected a number at depth 1, got an array/);
  });

  it('bad data, dtype or shape fail at the call', () => {
    expect(() => tensor([1, 'a'] as never)).toThrow(/expected a number at depth 1, got string/);
    expect(() => tensor('abc' as never)).toThrow(/expected a number, a nested array or a Float32Array/);
    expect(() => tensor(new Int32Array(2) as never)).toThrow(/Float32Array\/Float64Array, got object/);
    expect(() => tensor([1], { dtype: 'int32' as never })).toThrow(
      `tensor: dtype must be 'float32' or 'float64', got "int32"`,
    );
    expect(() => tensor(new Float32Array(5), { shape: [2, 3] })).toThrow(
      'tensor: 5 values cannot have shape [2, 3] (6 elements)',
    );
    expect(() => tensor([[1, 2]], { shape: [2] })).toThrow(/`shape` applies only to flat data/);
    expect(() => tensor([1, 2], { shape: [2, -1] })).toThrow(/non-negative integers, got \[2,-1\]/);
  });
});

describe('filled tensors', () => {
  it('zeros, ones, full: shape, dtype, values, requiresGrad', () => {
    const z = zeros([2, 3]);
    expect(z.shape).toEqual([2, 3]);
    expect(z.dtype).toBe('float32');
    expect(Array.from(z.data)).toEqual([0, 0, 0, 0, 0, 0]);
    const o = ones([3], { dtype: 'float64' });
    expect(o.dtype).toBe('float64');
    expect(o.toArray()).toEqual([1, 1, 1]);
    const f = full([2, 2], 7.5, { requiresGrad: true });
    expect(f.toArray()).toEqual([
      [7.5, 7.5],
      [7.5, 7.5],
    ]);
    expect(f.requiresGrad).toBe(true);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([]).item()).toBe(0);
    expect(zeros([3, 0]).size).toBe(0);
  });

  it('zerosLike and onesLike copy shape and dtype (not requiresGrad); options override', () => {
    const t = tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true });
    const z = zerosLike(t);
    expect(z.shape).toEqual([1, 3]);
    expect(z.dtype).toBe('float64');
    expect(z.requiresGrad).toBe(false);
    expect(z.toArray()).toEqual([[0, 0, 0]]);
    const o = onesLike(t, { dtype: 'float32' });
    expect(o.dtype).toBe('float32');
    expect(o.toArray()).toEqual([[1, 1, 1]]);
  });

  it('errors name the function that was called', () => {
    expect(() => zeros([2, 1.5])).toThrow(
      'zeros: shape must be an array of non-negative integers, got [2,1.5]',
    );
    expect(() => ones([-1])).toThrow(/^ones: shape/);
    expect(() => full([2], 1, { dtype: 'float16' as never })).toThrow(/^full: dtype must be/);
    expect(() => eye(-1)).toThrow(/^eye: shape/);
  });
});

describe('arange and eye', () => {
  it('arange(n), arange(start, stop), fractional and negative steps', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(2, 6).toArray()).toEqual([2, 3, 4, 5]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, 1).shape).toEqual([0]);
    const f = arange(1, 2, 0.25, { dtype: 'float64' });
    expect(f.dtype).toBe('float64');
    expect(f.toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    // Like torch.arange: ceil((stop − start) / step) elements, stop excluded.
    expect(arange(0, 1, 0.3, { dtype: 'float64' }).toArray()).toEqual([0, 0.3, 0.6, 0.8999999999999999]);
  });

  it('arange rejects a zero or non-finite step', () => {
    expect(() => arange(0, 1, 0)).toThrow(/non-zero step must be finite.*got 0, 1, 0/);
    expect(() => arange(0, Number.POSITIVE_INFINITY)).toThrow(/must be finite numbers/);
  });

  it('eye: square and rectangular identities', () => {
    expect(eye(3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(eye(2, 3, { dtype: 'float64' }).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(eye(3, 2).toArray()).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
  });
});

describe('random creation (always from an explicit Rng)', () => {
  it('randn/rand are deterministic for a seed and draw the Rng stream in order', () => {
    const a = randn([2, 3], { rng: new Rng(42), dtype: 'float64' });
    const b = randn([2, 3], { rng: new Rng(42), dtype: 'float64' });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const ref = new Rng(42);
    expect(Array.from(a.data)).toEqual(Array.from({ length: 6 }, () => ref.normal()));
    const c = randn([2, 3], { rng: new Rng(43), dtype: 'float64' });
    expect(Array.from(c.data)).not.toEqual(Array.from(a.data));
    const rng = new Rng(5);
    const u1 = rand([4], { rng, dtype: 'float64' });
    const u2 = rand([4], { rng, dtype: 'float64' });
    const refU = new Rng(5);
    expect([...u1.data, ...u2.data]).toEqual(Array.from({ length: 8 }, () => refU.uniform()));
    expect(randn([2], { rng: new Rng(1), requiresGrad: true }).requiresGrad).toBe(true);
    expect(randn([2], { rng: new Rng(1) }).dtype).toBe('float32');
  });

  it('randn has mean 0 and variance 1; rand is in [0, 1) with mean ½ (n = 20,000, 5σ bounds)', () => {
    const n = 20_000;
    const z = Array.from(randn([n], { rng: new Rng(7), dtype: 'float64' }).data);
    const mean = z.reduce((s, v) => s + v, 0) / n;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n)); // sd of the mean: 1/√n
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n)); // sd of s²: √(2/n)
    const u = Array.from(rand([n], { rng: new Rng(8), dtype: 'float64' }).data);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((s, v) => s + v, 0) / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });

  it('randint draws integers in [low, high), each value about equally often', () => {
    const n = 20_000;
    const t = randint(-2, 3, [n], { rng: new Rng(9) });
    const counts = new Map<number, number>();
    for (const v of t.data) {
      expect(Number.isInteger(v)).toBe(true);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((p, q) => p - q)).toEqual([-2, -1, 0, 1, 2]);
    const sd = Math.sqrt(n * 0.2 * 0.8);
    for (const c of counts.values()) expect(Math.abs(c - n / 5)).toBeLessThan(5 * sd);
    expect(Array.from(randint(0, 10, [6], { rng: new Rng(3) }).data)).toEqual(
      Array.from(randint(0, 10, [6], { rng: new Rng(3) }).data),
    );
    expect(() => randint(0, 2.5, [3], { rng: new Rng(0) })).toThrow(
      'randint: need integers low < high, got low=0, high=2.5',
    );
    expect(() => randint(3, 3, [0], { rng: new Rng(0) })).toThrow(/low < high/);
  });

  it('without an rng, each says how to pass one', () => {
    expect(() => randn([2], {} as never)).toThrow(
      'randn: pass an explicit generator, e.g. randn(shape, { rng: new Rng(0) })',
    );
    expect(() => rand([2], undefined as never)).toThrow(/^rand: pass an explicit generator/);
    expect(() => randint(0, 2, [2], { rng: 5 } as never)).toThrow(/^randint: pass an explicit generator/);
  });
});

describe('toArray and item', () => {
  it('toArray nests by shape', () => {
    const t = tensor(
      Float64Array.from({ length: 8 }, (_, i) => i),
      { shape: [2, 2, 2] },
    );
    expect(t.toArray()).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [4, 5],
        [6, 7],
      ],
    ]);
    expect(zeros([0, 3]).toArray()).toEqual([]);
  });

  it('item() reads any one-element tensor and refuses others, naming the shape', () => {
    expect(tensor([[5]]).item()).toBe(5);
    expect(tensor([-1.5], { dtype: 'float64' }).item()).toBe(-1.5);
    expect(() => tensor([1, 2]).item()).toThrow(
      'item: only a one-element tensor converts to a number; shape is [2]',
    );
    expect(() => zeros([0]).item()).toThrow(/shape is \[0\]/);
  });
});
