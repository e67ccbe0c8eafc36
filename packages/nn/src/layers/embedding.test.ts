import { Rng, randn, tensor } from '@selfnorm/tensor';
import { expectClose, gradcheck } from '@selfnorm/tensor/testing';
import { describe, expect, it } from 'vitest';
import { constantInit } from '../init';
import { SGD } from '../optim/sgd';
import { Embedding } from './embedding';

describe('Embedding', () => {
  it('looks up rows: indices of shape S give [...S, dim]', () => {
    const emb = new Embedding(4, 2, { rng: new Rng(0), dtype: 'float64' });
    emb.weight.data.set([0, 1, 10, 11, 20, 21, 30, 31]);
    const y = emb.forward(
      tensor([
        [3, 0, 3],
        [1, 2, 1],
      ]),
    );
    expect(y.shape).toEqual([2, 3, 2]);
    expect(y.dtype).toBe('float64');
    expectClose(y, [
      [
        [30, 31],
        [0, 1],
        [30, 31],
      ],
      [
        [10, 11],
        [20, 21],
        [10, 11],
      ],
    ]);
    expect(emb.forward(tensor(2)).shape).toEqual([2]);
  });

  it('initializes the weight N(0, 1) from the explicit rng (as PyTorch), reproducibly', () => {
    const w = Array.from(new Embedding(200, 50, { rng: new Rng(1) }).weight.data);
    const n = w.length;
    const mean = w.reduce((a, b) => a + b, 0) / n;
    const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    // 10⁴ draws: the standard error of the mean is 0.01, of the variance ≈ 0.014; 4 standard errors.
    expect(Math.abs(mean)).toBeLessThan(0.04);
    expect(Math.abs(variance - 1)).toBeLessThan(0.06);
    expect(Array.from(new Embedding(200, 50, { rng: new Rng(1) }).weight.data)).toEqual(w);
    expect(Object.keys(new Embedding(3, 2, { rng: new Rng(0) }).stateDict())).toEqual(['weight']);
  });

  it('passes gradcheck in the weight; a repeated index accumulates its rows gradient', () => {
    const emb = new Embedding(5, 3, { rng: new Rng(2), dtype: 'float64' });
    const idx = tensor([4, 0, 4, 2]);
    const check = gradcheck(
      (w) => {
        emb.weight = w;
        return emb.forward(idx);
      },
      [randn([5, 3], { rng: new Rng(3), dtype: 'float64', requiresGrad: true })],
    );
    expect(check.ok).toBe(true);
    const fresh = new Embedding(3, 2, { rng: new Rng(4) });
    fresh
      .forward(tensor([2, 2, 0]))
      .sum()
      .backward();
    expectClose(fresh.weight.grad!, [1, 1, 0, 0, 2, 2]);
  });

  it('paddingIdx: the row starts at zero, passes its value through and gets no gradient', () => {
    const emb = new Embedding(4, 2, { rng: new Rng(5), paddingIdx: 1 });
    expect([...emb.weight.data.subarray(2, 4)]).toEqual([0, 0]);
    emb.weight.data.set([7, 8], 2); // a loaded padding row is still what the lookup returns
    const y = emb.forward(tensor([[1, 3, 1]]));
    expectClose(y.narrow(1, 0, 1), [[[7, 8]]]);
    y.mul(tensor([1, 2, 3]).reshape([1, 3, 1]))
      .sum()
      .backward();
    expectClose(emb.weight.grad!, [0, 0, 0, 0, 0, 0, 2, 2]);
    // training leaves the padding row as it is
    new SGD(emb.parameters(), { lr: 1 }).step();
    expect([...emb.weight.data.subarray(2, 4)]).toEqual([7, 8]);
    expect(new Embedding(4, 2, { rng: new Rng(5), paddingIdx: -1 }).paddingIdx).toBe(3);
  });

  it('takes an explicit init with the fans of a 2-D weight', () => {
    const seen: unknown[] = [];
    const emb = new Embedding(3, 4, {
      init: (shape, ctx) => {
        seen.push([shape, ctx]);
        return constantInit(0.5)(shape, ctx);
      },
    });
    expect(seen).toEqual([[[3, 4], { fanIn: 4, fanOut: 3, dtype: 'float32' }]]);
    expect([...emb.weight.data]).toEqual(Array(12).fill(0.5));
    expect(emb.weight.requiresGrad).toBe(true);
  });

  it('errors name the layer, the bad index and its position, and the accepted range', () => {
    const emb = new Embedding(3, 2, { rng: new Rng(0) });
    expect(() =>
      emb.forward(
        tensor([
          [0, 1],
          [3, 0],
        ]),
      ),
    ).toThrow(
      'Embedding(3, 2).forward: indices hold 3 at flat position 2 (shape [2,2]); each index must be an integer in [0, 3)',
    );
    expect(() => emb.forward(tensor([0.5]))).toThrow('indices hold 0.5 at flat position 0');
    expect(() => emb.forward([0] as never)).toThrow('Embedding(3, 2).forward: indices must be a Tensor');
    expect(() => new Embedding(0, 2, { rng: new Rng(0) })).toThrow(
      'Embedding: numEmbeddings must be a positive integer, got 0',
    );
    expect(() => new Embedding(3, 2)).toThrow('Embedding: pass { rng }');
    expect(() => new Embedding(3, 2, { rng: new Rng(0), paddingIdx: 3 })).toThrow(
      'Embedding: paddingIdx must be an integer in [-3, 3), got 3',
    );
    expect(new Embedding(3, 2, { rng: new Rng(0), paddingIdx: 0 }).extraRepr()).toBe('3, 2, paddingIdx=0');
  });
});
