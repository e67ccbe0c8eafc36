// A CommonJS TypeScript consumer (node16 resolves the "require" condition and its .d.cts types): one step.
import { crossEntropy, Linear, SGD } from '@selfnorm/nn';
import { Rng, randn, tensor } from '@selfnorm/tensor';

const rng = new Rng(3);
const model = new Linear(4, 3, { rng });
const optimizer = new SGD(model.parameters(), { lr: 0.1 });
const loss = crossEntropy(model.forward(randn([8, 4], { rng })), tensor([0, 1, 2, 0, 1, 2, 0, 1]));
loss.backward();
optimizer.step();
const value: number = loss.item();
console.log(`one step, loss ${value}`);
