/** selfnorm through its public API: @selfnorm/tensor for W1, @selfnorm/nn for W2 and W3. */
import { crossEntropy, Linear, SELU, Sequential, SGD, selu } from '@selfnorm/nn';
import { matmulT, Rng, tensor } from '@selfnorm/tensor';
import type { Framework } from './types';

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
    const opt = new SGD(model.parameters(), { lr: spec.lr });
    const x = tensor(data.x, { shape: [spec.batch, spec.inputs] });
    const labels = Array.from(data.labels);
    return {
      run() {
        opt.zeroGrad();
        const loss = crossEntropy(model.forward(x), labels);
        loss.backward();
        opt.step();
        return loss;
      },
      dispose() {},
    };
  },
};
