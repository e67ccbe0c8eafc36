/** TensorFlow.js 4.22 with its cpu backend (plain JavaScript) or its wasm backend (XNNPACK, SIMD). */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { transposed } from '../workloads';
import type { Framework } from './types';

/** Selects the backend; TF.js backends compute synchronously, so a run needs no readback to be complete. */
export async function tfjs(backend: 'cpu' | 'wasm'): Promise<Framework> {
  await tf.setBackend(backend);
  await tf.ready();
  return {
    matmul(a, b, n, transA, transB) {
      const ta = tf.tensor2d(a, [n, n]);
      const tb = tf.tensor2d(b, [n, n]);
      return {
        run: () => tf.matMul(ta, tb, transA, transB).dispose(),
        dispose: () => tf.dispose([ta, tb]),
      };
    },

    selu(x, g) {
      const tx = tf.tensor1d(x);
      const tg = tf.tensor1d(g);
      const vg = tf.valueAndGrad((t: tf.Tensor) => tf.selu(t));
      return {
        run() {
          const { value, grad } = vg(tx, tg);
          tf.dispose([value, grad]);
        },
        dispose: () => tf.dispose([tx, tg]),
      };
    },

    trainStep(spec, data) {
      const ws = data.weights.map((w, i) =>
        tf.variable(
          tf.tensor2d(transposed(w, data.sizes[i + 1], data.sizes[i]), [data.sizes[i], data.sizes[i + 1]]),
        ),
      );
      const bs = data.sizes.slice(1).map((n) => tf.variable(tf.zeros([n])));
      const x = tf.tensor2d(data.x, [spec.batch, spec.inputs]);
      const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), spec.classes);
      const opt = tf.train.sgd(spec.lr);
      const loss = () => {
        let h: tf.Tensor = x;
        for (let i = 0; i < ws.length; i++) {
          h = tf.add(tf.matMul(h, ws[i]), bs[i]);
          if (i + 1 < ws.length) h = tf.selu(h);
        }
        return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
      };
      return {
        run() {
          const cost = opt.minimize(loss, true);
          cost?.dispose();
        },
        dispose() {
          tf.dispose([...ws, ...bs, x, y]);
          opt.dispose();
        },
      };
    },
  };
}
