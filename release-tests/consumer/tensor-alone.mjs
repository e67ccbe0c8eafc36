// @selfnorm/tensor installed alone (no @selfnorm/nn): it imports and computes a gradient by itself.
import { tensor } from '@selfnorm/tensor';
import { gradcheck } from '@selfnorm/tensor/testing';

const x = tensor([1, 2, 3], { requiresGrad: true });
x.mul(x).sum().backward();
const g = Array.from(x.grad.data);
if (g.join() !== '2,4,6') throw new Error(`d/dx sum(x²) at [1, 2, 3] should be [2, 4, 6], got [${g}]`);
if (typeof gradcheck !== 'function') throw new Error('@selfnorm/tensor/testing has no gradcheck');
try {
  await import('@selfnorm/nn');
  throw new Error('@selfnorm/nn resolved, but this project installed only @selfnorm/tensor');
} catch (e) {
  if (e.code !== 'ERR_MODULE_NOT_FOUND') throw e;
}
console.log('ESM: @selfnorm/tensor works alone; gradient', g);
