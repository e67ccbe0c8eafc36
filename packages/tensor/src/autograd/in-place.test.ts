import { describe, expect, it } from 'vitest';
import { tensor } from '../creation';
import { storagePoolStats } from '../memory';
import { axpy } from '../ops/in-place';
import { add, mul } from '../primitives/binary';
import { gt } from '../primitives/compare';
import { exp } from '../primitives/unary';
import { where } from '../primitives/where';
import { Tensor } from '../tensor';
import { watchCount } from '../versions';
import { customOp, grad } from './functional';

/** The values of a leaf's gradient after `backward()`. */
function gradOf(t: Tensor): number[] {
  if (t.grad === null) throw new Error('no gradient');
  return Array.from(t.grad.data);
}

describe('in-place edits of saved tensors (issue 11)', () => {
  it('a raw write through .data after an op saved the tensor throws on backward (the reproduction)', () => {
    const w = tensor([2, 3], { requiresGrad: true });
    const y = w.mul(w).sum();
    w.data[0] = 100;
    const watches = watchCount();
    // Before: backward() gave [200, 6] (2·100 and 2·3, the edited value) without a word.
    expect(() => y.backward()).toThrow(
      "backward: input 0 of 'mul' (a float32 tensor of shape [2]) was modified in place after 'mul' saved it " +
        'for the backward pass (its values changed since .data was taken), so its gradient would be wrong; ' +
        'clone() the tensor before editing it, or edit it after backward()',
    );
    expect(w.grad).toBeNull();
    // The graph, useless now, was freed: w is no longer saved, nor watched.
    expect(w.savedBy).toBe(0);
    expect(watchCount()).toBe(watches - 1);
    expect(() => y.backward()).toThrow('was already freed');
  });

  it('reading .data of a saved tensor is no error, and the gradient is right', () => {
    const w = tensor([2, 3], { requiresGrad: true });
    const y = w.mul(w).sum();
    expect(w.data[0] + w.data[1]).toBe(5);
    w.data[1] = 3; // the same value: nothing changed
    y.backward();
    expect(gradOf(w)).toEqual([4, 6]);
  });

  it('editing after backward(), or a clone before it, is fine', () => {
    const w = tensor([2, 3], { requiresGrad: true });
    const y = w.mul(w).sum();
    const c = w.clone();
    c.data[0] = 100;
    y.backward();
    w.data[0] = 100;
    expect(gradOf(w)).toEqual([4, 6]);
    const z = w.mul(w).sum();
    w.grad = null;
    z.backward();
    expect(gradOf(w)).toEqual([200, 6]);
  });

  it('markModified() declares a write through an array taken before the op saved the tensor', () => {
    const w = tensor([2, 3], { requiresGrad: true });
    const d = w.data; // taken while nothing saved w: not watched
    const y = w.mul(w).sum();
    d[0] = 100;
    expect(w.version).toBe(0);
    w.markModified();
    expect(w.version).toBe(1);
    expect(() => y.backward()).toThrow(
      "input 0 of 'mul' (a float32 tensor of shape [2]) was modified in place after 'mul' saved it for the " +
        'backward pass (a declared write: its version is now 1)',
    );
  });

  it('axpy on a saved tensor bumps its version, so backward() throws', () => {
    const w = tensor([[1, 2, 3]], { requiresGrad: true, dtype: 'float64' });
    const y = w.mul(w).sum();
    axpy(-0.5, tensor([[1, 1, 1]], { dtype: w.dtype }), w);
    expect(w.version).toBe(1);
    expect(() => y.backward()).toThrow(
      "backward: input 0 of 'mul' (a float64 tensor of shape [1, 3]) was modified in place",
    );
  });

  it('names the output when a saved output was edited (exp saves its result)', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    const e = exp(x);
    const y = e.sum();
    e.data[0] = 5;
    expect(() => y.backward()).toThrow("backward: the output of 'exp' (a float32 tensor of shape [2])");
  });

  it('the version belongs to the storage: views share it (reshape, detach, new Tensor)', () => {
    const w = tensor([2, 3], { requiresGrad: true });
    const r = w.reshape([2, 1]);
    const d = w.detach();
    const y = mul(r, r).sum();
    d.markModified();
    expect(w.version).toBe(1);
    expect(r.version).toBe(1);
    expect(() => y.backward()).toThrow("input 0 of 'mul' (a float32 tensor of shape [2, 1]) was modified");

    // A raw write through a view nothing saved directly: the watch is on the storage.
    const v = tensor([2, 3], { requiresGrad: true });
    const z = v.mul(v).sum();
    const alias = v.detach();
    alias.data[1] = 7;
    expect(() => z.backward()).toThrow('its values changed since .data was taken');

    const u = tensor([2, 3], { requiresGrad: true });
    const zu = u.mul(u).sum();
    new Tensor(u.data, [1, 2]).data[0] = -1;
    expect(() => zu.backward()).toThrow("input 0 of 'mul'");
  });

  it('a write before a later op saved the tensor is not blamed on that op', () => {
    const w = tensor([2, 3], { requiresGrad: true });
    const old = w.mul(w).sum(); // a graph never differentiated yet: it keeps w saved
    w.data[0] = 10; // a real edit of w (the old graph is now stale)
    const y = w.mul(w).sum();
    y.backward();
    expect(gradOf(w)).toEqual([20, 6]);
    expect(() => old.backward()).toThrow("input 0 of 'mul' (a float32 tensor of shape [2]) was modified");
  });

  it('is checked again on every backward of a retained graph', () => {
    const w = tensor([2, 3], { requiresGrad: true, dtype: 'float64' });
    const y = w.mul(w).sum();
    y.backward(undefined, { retainGraph: true });
    expect(gradOf(w)).toEqual([4, 6]);
    w.data[1] = -0; // different bits
    w.data[1] = 3;
    y.backward(undefined, { retainGraph: true });
    expect(gradOf(w)).toEqual([8, 12]);
    w.data[0] = 1;
    expect(() => y.backward()).toThrow("input 0 of 'mul' (a float64 tensor of shape [2])");
  });

  it('covers grad() and customOp, whose backward reads its saved inputs', () => {
    const cube = customOp({
      name: 'cube',
      forward: (x) => mul(mul(x, x), x),
      backward: (g, { inputs: [x] }) => [mul(g, mul(mul(x, x), 3))],
    });
    const x = tensor([1, 2], { requiresGrad: true });
    const y = cube(x).sum();
    x.data[1] = 0;
    expect(() => y.backward()).toThrow("backward: input 0 of 'cube' (a float32 tensor of shape [2])");

    const f = (t: Tensor) => {
      const s = t.mul(t).sum();
      t.markModified();
      return s;
    };
    expect(() => grad(f)(tensor([1, 2]))).toThrow("input 0 of 'mul'");
  });

  it('-0 for 0 and a new NaN payload count as changes; float64 storage is watched whole', () => {
    const w = tensor([0, 1, 2, 3], { requiresGrad: true, dtype: 'float64' });
    const y = w.mul(w).sum();
    w.data[0] = -0;
    expect(() => y.backward()).toThrow('its values changed since .data was taken');
  });

  it('only what a VJP reads counts: an input of add may change, as in PyTorch', () => {
    const w = tensor([2, 3], { requiresGrad: true });
    const y = add(w, 1).sum();
    w.data[0] = 100;
    w.markModified();
    y.backward();
    expect(gradOf(w)).toEqual([1, 1]);
  });

  it("where's condition is saved too: an edit is caught, and dispose() waits for backward()", () => {
    const n = 1 << 14;
    const x = tensor(new Float32Array(n).fill(1), { requiresGrad: true });
    const cond = gt(tensor(new Float32Array(n).fill(1)), 0);
    const y = where(cond, x, 0).sum();
    const returned = storagePoolStats().returned;
    cond.dispose();
    expect(storagePoolStats().returned).toBe(returned); // still saved: not reused under the graph
    y.backward();
    // cond, and sum's gradient once where's VJP has consumed it
    expect(storagePoolStats().returned).toBe(returned + 2);
    expect(x.grad?.data[n - 1]).toBe(1);

    const c2 = gt(tensor([1, -1]), 0);
    const x2 = tensor([5, 6], { requiresGrad: true });
    const y2 = where(c2, x2, 0).sum();
    c2.data[1] = 1;
    expect(() => y2.backward()).toThrow(
      "backward: a tensor it reads (not an input) of 'where' (a float32 tensor of shape [2]) was modified in place",
    );
  });

  it('a watch ends when backward() frees the graph, so later reads cost nothing', () => {
    const w = tensor([2, 3], { requiresGrad: true });
    const y = w.mul(w).sum();
    const before = watchCount(); // watches of the graphs other tests left undifferentiated
    expect(w.data[0]).toBe(2); // a read of a saved tensor starts a watch
    expect(watchCount()).toBe(before + 1);
    y.backward();
    expect(watchCount()).toBe(before);
    w.data[0] = 5; // nothing saves w now: no watch
    expect(watchCount()).toBe(before);
    w.grad = null;
    w.mul(w).sum().backward();
    expect(gradOf(w)).toEqual([10, 6]);
  });
});
