import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randn, tensor, zeros } from './creation';
import { cpu } from './devices/cpu';
import { allocate, POOL_MIN_ELEMENTS, setStoragePoolLimit, storagePoolStats } from './memory';
import { mul } from './primitives/binary';
import { sum } from './primitives/reduce';
import { selu } from './primitives/selu';
import { reshape } from './primitives/view';
import { Rng } from './random';
import { Tensor } from './tensor';

const N = POOL_MIN_ELEMENTS * 2;

/** How many arrays the pool took in and handed out while `f` ran. */
function poolDelta(f: () => void): { returned: number; reused: number } {
  const before = storagePoolStats();
  f();
  const after = storagePoolStats();
  return { returned: after.returned - before.returned, reused: after.reused - before.reused };
}

const DEFAULT_LIMIT = 64 * 1024 * 1024;

// Each test starts from an empty pool at the default limit, so its counts do not depend on the others.
beforeEach(() => {
  setStoragePoolLimit(0);
  setStoragePoolLimit(DEFAULT_LIMIT);
});
afterEach(() => setStoragePoolLimit(DEFAULT_LIMIT));

describe('Tensor.dispose and the storage pool', () => {
  it('gives large storage back, and the next allocation of that dtype and size takes it, zeroed', () => {
    const t = randn([N], { rng: new Rng(1) });
    const storage = t.data;
    expect(poolDelta(() => t.dispose())).toEqual({ returned: 1, reused: 0 });
    expect(t.isDisposed).toBe(true);
    let z = zeros([1]);
    expect(poolDelta(() => (z = zeros([N / 2, 2])))).toEqual({ returned: 0, reused: 1 });
    expect(z.data).toBe(storage);
    expect(z.data.every((v) => v === 0)).toBe(true);
  });

  it('keeps float32 and float64 storage apart', () => {
    randn([N], { rng: new Rng(2), dtype: 'float64' }).dispose();
    expect(allocate(cpu, 'float32', N)).toBeInstanceOf(Float32Array);
    expect(allocate(cpu, 'float64', N)).toBeInstanceOf(Float64Array);
  });

  it('makes a disposed tensor throw a clear error on use; disposing twice is a no-op', () => {
    for (const size of [3, N]) {
      const t = zeros([size]);
      t.dispose();
      t.dispose();
      expect(() => t.data).toThrow(/this tensor was disposed .*clone\(\) what you keep/);
      expect(() => t.toArray()).toThrow(/disposed/);
      expect(() => t.size).toThrow(/disposed/);
      expect(() => mul(t, 2)).toThrow(/disposed/);
    }
  });

  it('never reuses small storage, storage it did not allocate, or storage another tensor shares', () => {
    const small = zeros([POOL_MIN_ELEMENTS - 1]);
    const foreign = new Float32Array(N).fill(7);
    const wrapped = new Tensor(foreign, [N]);
    const base = randn([N], { rng: new Rng(3) });
    const view = reshape(base, [2, N / 2]);
    const kept = base.data.slice();
    const detached = randn([N], { rng: new Rng(4) });
    const alias = detached.detach();
    expect(
      poolDelta(() => {
        small.dispose();
        wrapped.dispose();
        base.dispose();
        detached.dispose();
      }).returned,
    ).toBe(0);
    const fresh = [zeros([N]), zeros([N]), zeros([N])];
    expect(fresh.some((t) => t.data === foreign || t.data === view.data || t.data === alias.data)).toBe(
      false,
    );
    expect(foreign.every((v) => v === 7)).toBe(true);
    expect(view.data).toEqual(kept);
  });

  it('defers the reuse of storage the graph still saves until backward() frees it', () => {
    const rng = new Rng(5);
    const x = randn([N], { rng, requiresGrad: true });
    const g = randn([N], { rng });
    const expected = (() => {
      const x2 = tensor(x.data, { requiresGrad: true });
      mul(selu(x2), 3).backward(g);
      return x2.grad?.data;
    })();
    const y = selu(x); // saved by its own node (the backward pass reads y) and by mul's
    const z = mul(y, 3);
    expect(poolDelta(() => y.dispose()).returned).toBe(0);
    expect(y.isDisposed).toBe(true);
    expect(y.data.length).toBe(N); // still readable: the graph needs it
    const reused = poolDelta(() => {
      zeros([N]); // must not get y's storage
      z.backward(g);
    });
    // y, and mul's gradient once selu's VJP has consumed it (the engine gives consumed gradients back)
    expect(reused).toEqual({ returned: 2, reused: 0 });
    expect(x.grad?.data).toEqual(expected);
    expect(() => y.data).toThrow(/disposed/);
  });

  it('keeps storage saved by a retained graph until a backward pass frees it', () => {
    const x = randn([N], { rng: new Rng(6), requiresGrad: true });
    const y = selu(x);
    const loss = sum(y);
    y.dispose();
    // Only sum's gradient (consumed by selu's VJP) comes back: y is still saved by the retained graph.
    expect(poolDelta(() => loss.backward(undefined, { retainGraph: true })).returned).toBe(1);
    const first = x.grad?.data.slice();
    // y, sum's gradient again, and the second gradient of x once added into x.grad (see engine.test.ts)
    expect(poolDelta(() => loss.backward()).returned).toBe(3);
    expect(x.grad?.data).toEqual(first?.map((v) => 2 * v));
  });

  it('a forward/backward loop that disposes stops allocating, with the same gradients', () => {
    const rng = new Rng(7);
    const x = randn([N], { rng, requiresGrad: true });
    const g = randn([N], { rng });
    const step = (dispose: boolean) => {
      if (dispose) x.grad?.dispose();
      x.grad = null;
      const y = selu(x);
      y.backward(g);
      if (dispose) y.dispose();
      return x.grad as Tensor | null;
    };
    const plain = step(false)?.data.slice();
    step(true);
    const d = poolDelta(() => {
      for (let i = 0; i < 4; i++) expect(step(true)?.data).toEqual(plain);
    });
    expect(d).toEqual({ returned: 8, reused: 8 }); // y and the last gradient, each repetition
  });

  it('holds no more than its limit; 0 turns reuse off', () => {
    setStoragePoolLimit(N * 4); // room for exactly one array of N float32
    const two = [zeros([N]), zeros([N])];
    expect(
      poolDelta(() => {
        for (const t of two) t.dispose();
      }).returned,
    ).toBe(1);
    setStoragePoolLimit(0);
    expect(storagePoolStats()).toMatchObject({ arrays: 0, bytes: 0, limitBytes: 0 });
    expect(poolDelta(() => zeros([N]).dispose()).returned).toBe(0);
    expect(() => setStoragePoolLimit(-1)).toThrow(/bytes must be a finite number ≥ 0, got -1/);
    expect(() => setStoragePoolLimit(Number.NaN)).toThrow(/got NaN/);
  });
});
