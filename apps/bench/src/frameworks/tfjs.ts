/** TensorFlow.js 4.22 with its cpu backend (plain JavaScript) or its wasm backend (XNNPACK, SIMD). */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { permuted, transposed } from '../workloads';
import type { Framework } from './types';

/** Throws where `backend` cannot differentiate conv2d (TF.js 4.22's wasm backend has no Conv2DBackpropFilter). */
function convGradients(backend: string): void {
  if (!tf.getKernel('Conv2DBackpropFilter', backend)) {
    throw new RangeError(
      `tfjs-${backend}: this backend has no Conv2DBackpropFilter kernel, so it cannot train a convolution (W4)`,
    );
  }
}

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

    // TF.js convolves NHWC images with HWIO filters: the same numbers, permuted. The feature map is permuted
    // back to NCHW before the flatten so that the Linear weights (NCHW order) apply unchanged.
    cnnStep(spec, data) {
      convGradients(backend);
      const [c1, c2] = spec.channels;
      const filters = [
        tf.variable(tf.tensor4d(permuted(data.conv[0], [c1, 1, 3, 3], [2, 3, 1, 0]), [3, 3, 1, c1])),
        tf.variable(tf.tensor4d(permuted(data.conv[1], [c2, c1, 3, 3], [2, 3, 1, 0]), [3, 3, c1, c2])),
      ];
      const convBias = spec.channels.map((c) => tf.variable(tf.zeros([c])));
      const sizes = [c2 * 49, spec.hidden, spec.classes];
      const ws = data.linear.map((w, i) =>
        tf.variable(tf.tensor2d(transposed(w, sizes[i + 1], sizes[i]), [sizes[i], sizes[i + 1]])),
      );
      const bs = sizes.slice(1).map((n) => tf.variable(tf.zeros([n])));
      const x = tf.tensor4d(data.x, [spec.batch, 28, 28, 1]);
      const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), spec.classes);
      const opt = tf.train.sgd(spec.lr);
      const loss = () => {
        let h: tf.Tensor4D = x;
        for (let i = 0; i < 2; i++) {
          h = tf.selu(tf.add(tf.conv2d(h, filters[i] as tf.Tensor4D, 1, 'same'), convBias[i])) as tf.Tensor4D;
          h = tf.maxPool(h, 2, 2, 'valid');
        }
        let z: tf.Tensor = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [spec.batch, c2 * 49]);
        z = tf.selu(tf.add(tf.matMul(z, ws[0]), bs[0]));
        z = tf.add(tf.matMul(z, ws[1]), bs[1]);
        return tf.losses.softmaxCrossEntropy(y, z) as tf.Scalar;
      };
      return {
        run() {
          const cost = opt.minimize(loss, true);
          const value = cost?.dataSync()[0];
          cost?.dispose();
          return value;
        },
        dispose() {
          tf.dispose([...filters, ...convBias, ...ws, ...bs, x, y]);
          opt.dispose();
        },
      };
    },

    conv(spec, x, w, g) {
      convGradients(backend);
      const { batch: n, inChannels: c, outChannels: o, size: h, kernel: k } = spec;
      const tx = tf.tensor4d(permuted(x, [n, c, h, h], [0, 2, 3, 1]), [n, h, h, c]);
      const tw = tf.tensor4d(permuted(w, [o, c, k, k], [2, 3, 1, 0]), [k, k, c, o]);
      const tg = tf.tensor4d(permuted(g, [n, o, h, h], [0, 2, 3, 1]), [n, h, h, o]);
      const f = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, 1, 'same');
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor4D, b as tf.Tensor4D));
      return {
        run() {
          // grads computes the forward (kept for the backward) and both adjoints, as the other columns do.
          tf.dispose(grads([tx, tw], tg));
        },
        dispose: () => tf.dispose([tx, tw, tg]),
      };
    },
  };
}
