// An entry point of release-tests/bundle-sizes.mjs: the smallest program of its kind, bundled for a browser.
import { crossEntropy, Linear, SELU, Sequential, SGD } from '@selfnorm/nn';
import { Rng, randn } from '@selfnorm/tensor';

const rng = new Rng(0);
const model = new Sequential(new Linear(784, 64, { rng }), new SELU(), new Linear(64, 10, { rng }));
const opt = new SGD(model.parameters(), { lr: 0.1 });
const loss = crossEntropy(model.forward(randn([8, 784], { rng })), [0, 1, 2, 3, 4, 5, 6, 7]);
loss.backward();
opt.step();
console.log(loss.item());
