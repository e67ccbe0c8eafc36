import { describe, expect, it } from 'vitest';
import { randn } from '../creation';
import { storagePoolStats } from '../memory';
import { mul } from '../primitives/binary';
import { sum } from '../primitives/reduce';
import { Rng } from '../random';
import type { Tensor } from '../tensor';
import { logSoftmax, logSumExp, softmax } from './reductions';

/** Large enough for the storage pool (≥ 16,384 elements). */
const SHAPE = [64, 256];

describe('logSumExp leaves nothing saved after backward (issue 11)', () => {
  const cases: Array<[string, (x: Tensor) => Tensor]> = [
    ['logSumExp', (x) => logSumExp(x, 1)],
    ['logSoftmax', (x) => logSoftmax(x)],
    ['softmax', (x) => softmax(x)],
  ];
  for (const [name, f] of cases) {
    it(`${name}: the input's saved count is back to 0, and dispose() gives its storage back`, () => {
      const rng = new Rng(11);
      const x = mul(randn(SHAPE, { rng, requiresGrad: true }), 3); // a non-leaf, as logits are
      const y = f(x);
      const w = randn(y.shape, { rng });
      sum(mul(y, w)).backward();
      // Before the fix: 1, from logSumExp's detached `max` node, which no backward pass reaches.
      expect(x.savedBy).toBe(0);
      const returned = storagePoolStats().returned;
      x.dispose();
      expect(storagePoolStats().returned).toBe(returned + 1);
    });
  }

  it('the max it shifts by is not on the graph (the gradient is still softmax)', () => {
    const x = randn([3, 5], { rng: new Rng(1), dtype: 'float64', requiresGrad: true });
    const y = logSumExp(x, 1);
    expect(y.node?.op).toBe('reshape');
    y.sum().backward();
    const s = softmax(x.detach()).toArray() as number[][];
    const g = x.grad?.toArray() as number[][];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) expect(g[i][j]).toBeCloseTo(s[i][j], 14);
  });
});
