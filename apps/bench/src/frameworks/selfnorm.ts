/** selfnorm through its public API: @selfnorm/tensor for W1, @selfnorm/nn for W2 and W3. */
import { Conv2d, crossEntropy, Flatten, Linear, MaxPool2d, SELU, Sequential, SGD, selu } from '@selfnorm/nn';
import { conv2d, matmulT, Rng, type Tensor, tensor } from '@selfnorm/tensor';
import type { Framework } from './types';

/** One SGD step of `model` on a fixed batch with crossEntropy; returns the loss. */
function sgdStep(model: Sequential, lr: number, x: Tensor, labels: ArrayLike<number>): () => Tensor {
  const opt = new SGD(model.parameters(), { lr });
  const targets = Array.from(labels);
  return () => {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(x), targets);
    loss.backward();
    opt.step();
    return loss;
  };
}

export const selfnorm: Framework = {
  matmul(a, b, n, transA, transB) {
    const ta = tensor(a, { shape: [n, n] });
    const tb = tensor(b, { shape: [n, n] });
    // Each product is disposed, as the peers dispose theirs: its storage serves the next one.
    return { run: () => matmulT(ta, tb, transA, transB).dispose(), dispose() {} };
  },

  selu(x, g) {
    const tx = tensor(x, { requiresGrad: true });
    const tg = tensor(g);
    return {
      run() {
        // As the peers dispose their outputs each repetition, so does this: the last gradient and y.
        tx.grad?.dispose();
        tx.grad = null;
        const y = selu(tx);
        y.backward(tg);
        y.dispose();
        return tx.grad;
      },
      dispose() {},
    };
  },

  trainStep(spec, data) {
    const rng = new Rng(0);
    const layers = [];
    for (let i = 0; i + 1 < data.sizes.length; i++) {
      const layer = new Linear(data.sizes[i], data.sizes[i + 1], { rng });
      layer.weight.data.set(data.weights[i]);
      layers.push(layer);
      if (i + 2 < data.sizes.length) layers.push(new SELU());
    }
    const model = new Sequential(...layers);
    const step = sgdStep(model, spec.lr, tensor(data.x, { shape: [spec.batch, spec.inputs] }), data.labels);
    return { run: step, dispose() {} };
  },

  cnnStep(spec, data) {
    const rng = new Rng(0);
    const [c1, c2] = spec.channels;
    const conv1 = new Conv2d(1, c1, 3, { padding: 1, rng });
    const conv2 = new Conv2d(c1, c2, 3, { padding: 1, rng });
    const fc1 = new Linear(c2 * 49, spec.hidden, { rng });
    const fc2 = new Linear(spec.hidden, spec.classes, { rng });
    conv1.weight.data.set(data.conv[0]);
    conv2.weight.data.set(data.conv[1]);
    fc1.weight.data.set(data.linear[0]);
    fc2.weight.data.set(data.linear[1]);
    const model = new Sequential(
      ...[conv1, new SELU(), new MaxPool2d(2), conv2, new SELU(), new MaxPool2d(2)],
      ...[new Flatten(), fc1, new SELU(), fc2],
    );
    const step = sgdStep(model, spec.lr, tensor(data.x, { shape: [spec.batch, 1, 28, 28] }), data.labels);
    return { run: () => step().item(), dispose() {} };
  },

  conv(spec, x, w, g) {
    const { batch: n, inChannels: c, outChannels: o, size: h, kernel: k } = spec;
    const tx = tensor(x, { shape: [n, c, h, h], requiresGrad: true });
    const tw = tensor(w, { shape: [o, c, k, k], requiresGrad: true });
    const tg = tensor(g, { shape: [n, o, h, h] });
    return {
      run() {
        // As the peers dispose their outputs, so does this: y and the previous gradients.
        for (const t of [tx, tw]) {
          t.grad?.dispose();
          t.grad = null;
        }
        const y = conv2d(tx, tw, null, { padding: 1 });
        y.backward(tg);
        y.dispose();
      },
      dispose() {},
    };
  },
};
