// ESM consumer: `import` each entry point of the installed tarballs and find the documented exports.
import { readFileSync } from 'node:fs';
import * as nn from '@selfnorm/nn';
import * as tensor from '@selfnorm/tensor';
import * as testing from '@selfnorm/tensor/testing';

const expected = JSON.parse(readFileSync(new URL('./expected-exports.json', import.meta.url), 'utf8'));
const modules = { '@selfnorm/tensor': tensor, '@selfnorm/tensor/testing': testing, '@selfnorm/nn': nn };
let missing = 0;
for (const [name, names] of Object.entries(expected)) {
  const absent = names.filter((n) => modules[name][n] === undefined);
  if (absent.length > 0) console.error(`${name} (ESM) lacks: ${absent.join(', ')}`);
  missing += absent.length;
  console.log(`${name}: ${Object.keys(modules[name]).length} exports`);
}
// One copy of @selfnorm/tensor: a layer's weight is an instance of the Tensor class the user imports.
const layer = new nn.Linear(2, 3, { rng: new tensor.Rng(1) });
const weight = layer.parameters()[0];
if (!(weight instanceof tensor.Tensor))
  throw new Error('a Linear weight is not an instance of the imported Tensor');
// The testing entry works on tensors from the main entry (one Tensor class, one autograd engine).
const x = tensor.tensor([0.5, -1], { dtype: 'float64', requiresGrad: true });
const check = testing.gradcheck((t) => t.tanh().sum(), [x]);
if (!check.ok) throw new Error(`gradcheck of tanh failed: ${JSON.stringify(check.worst)}`);
if (missing > 0) process.exit(1);
