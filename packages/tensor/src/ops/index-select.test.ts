import { describe, expect, it } from 'vitest';
import { grad, indexSelect, Rng, randn, tensor } from '../index';
import { expectClose, gradcheck } from '../testing';

const rng = new Rng(7);

describe('indexSelect', () => {
  it('picks rows, columns and repeats (torch.index_select values)', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(indexSelect(x, 0, [1, 1, 0]).shape).toEqual([3, 3]);
    expectClose(indexSelect(x, 0, [1, 1, 0]), [4, 5, 6, 4, 5, 6, 1, 2, 3]);
    expectClose(indexSelect(x, 1, tensor([2, 0])), [3, 1, 6, 4]);
    expectClose(x.indexSelect(-1, tensor(1)), [2, 5]);
    expect(indexSelect(x, 0, []).shape).toEqual([0, 3]);
  });

  it('the gradient scatter-adds: a repeated index accumulates', () => {
    const x = tensor([10, 20, 30], { requiresGrad: true });
    indexSelect(x, 0, [2, 0, 2]).sum().backward();
    expectClose(x.grad!, [1, 0, 2]);
  });

  it('differentiates twice (gradcheck of its gradient, float64)', () => {
    const x = randn([3, 4], { rng, dtype: 'float64', requiresGrad: true });
    const f = (t: typeof x) => indexSelect(t, 1, [3, 0, 3]).square().sum();
    const df = grad(f); // nests: under gradcheck's sweep, the gradient keeps its graph
    expect(gradcheck((t) => df(t) as typeof x, [x], { atol: 1e-6, rtol: 1e-5 }).ok).toBe(true);
  });

  it('errors name the function, the position of a bad index and the accepted range', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(() => indexSelect(x, 0, [0, 2])).toThrow(
      'indexSelect: indices[1] is 2, not an integer in [0, 2) (axis 0 has size 2)',
    );
    expect(() => indexSelect(x, 1, tensor([0, -1, 0]))).toThrow('indices[1] is -1');
    expect(() => indexSelect(x, 0, [0.5])).toThrow('indices[0] is 0.5');
    expect(() => indexSelect(x, 2, [0])).toThrow(
      'indexSelect: axis 2 is out of range for a tensor of rank 2; valid axes: [-2, 1]',
    );
    expect(() => indexSelect(x, 0, tensor([[0]]))).toThrow('indexSelect: indices must be 0-D or 1-D');
    expect(() => indexSelect(x, 0, 'a' as never)).toThrow(
      'indexSelect: indices must be a Tensor or an array of integers, got the string "a"',
    );
    expect(() => indexSelect([1] as never, 0, [0])).toThrow('indexSelect: x must be a Tensor');
    expect(() => indexSelect(tensor(3), 0, [0])).toThrow('indexSelect: x must have at least one axis');
  });
});
