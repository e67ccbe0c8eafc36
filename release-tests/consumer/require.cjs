// CJS consumer: `require` each entry point of the installed tarballs and find the documented exports.
const expected = require('./expected-exports.json');
const modules = {
  '@selfnorm/tensor': require('@selfnorm/tensor'),
  '@selfnorm/tensor/testing': require('@selfnorm/tensor/testing'),
  '@selfnorm/nn': require('@selfnorm/nn'),
};
let missing = 0;
for (const [name, names] of Object.entries(expected)) {
  const resolved = require.resolve(name);
  if (!resolved.endsWith('.cjs')) throw new Error(`${name} resolved to ${resolved}, not the CJS build`);
  const absent = names.filter((n) => modules[name][n] === undefined);
  if (absent.length > 0) console.error(`${name} (CJS) lacks: ${absent.join(', ')}`);
  missing += absent.length;
  console.log(
    `${name}: ${Object.keys(modules[name]).length} exports from ${resolved.split('node_modules/')[1]}`,
  );
}
const { Tensor, Rng } = modules['@selfnorm/tensor'];
const layer = new modules['@selfnorm/nn'].Linear(2, 3, { rng: new Rng(1) });
if (!(layer.parameters()[0] instanceof Tensor))
  throw new Error('a Linear weight is not an instance of the required Tensor');
// The testing entry works on tensors from the main entry (one Tensor class, one autograd engine).
const x = modules['@selfnorm/tensor'].tensor([0.5, -1], { dtype: 'float64', requiresGrad: true });
const check = modules['@selfnorm/tensor/testing'].gradcheck((t) => t.tanh().sum(), [x]);
if (!check.ok) throw new Error(`gradcheck of tanh failed: ${JSON.stringify(check.worst)}`);
if (missing > 0) process.exit(1);
