// @selfnorm/tensor installed alone, from CommonJS.
const { tensor } = require('@selfnorm/tensor');

const x = tensor([1, 2, 3], { requiresGrad: true });
x.mul(x).sum().backward();
const g = Array.from(x.grad.data);
if (g.join() !== '2,4,6') throw new Error(`d/dx sum(x²) at [1, 2, 3] should be [2, 4, 6], got [${g}]`);
let found = true;
try {
  require.resolve('@selfnorm/nn');
} catch (e) {
  if (e.code !== 'MODULE_NOT_FOUND') throw e;
  found = false;
}
if (found) throw new Error('@selfnorm/nn resolved, but this project installed only @selfnorm/tensor');
console.log('CJS: @selfnorm/tensor works alone; gradient', g);
