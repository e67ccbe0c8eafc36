/** jax-js 0.1.25 on its wasm device, every workload under `jit`. Arrays are reference-counted: see `.ref`. */
import {
  blockUntilReady,
  defaultDevice,
  init,
  jit,
  nn,
  numpy as np,
  tree,
  valueAndGrad,
  vjp,
} from '@jax-js/jax';
import { transposed } from '../workloads';
import type { Framework } from './types';

type Params = { w: np.Array[]; b: np.Array[] };

export async function jaxWasm(): Promise<Framework> {
  await init('wasm');
  defaultDevice('wasm');
  return {
    matmul(a, b, n, transA, transB) {
      const ja = np.array(a).reshape([n, n]);
      const jb = np.array(b).reshape([n, n]);
      const f = jit((x: np.Array, y: np.Array) =>
        np.matmul(transA ? x.transpose() : x, transB ? y.transpose() : y),
      );
      return {
        async run() {
          const c = f(ja.ref, jb.ref);
          await c.blockUntilReady();
          c.dispose();
        },
        dispose() {
          ja.dispose();
          jb.dispose();
          f.dispose();
        },
      };
    },

    selu(x, g) {
      const jx = np.array(x);
      const jg = np.array(g);
      const f = jit((xs: np.Array, gs: np.Array) => {
        const [y, back] = vjp(nn.selu, [xs]);
        const [dx] = back(gs);
        return [y, dx];
      });
      return {
        async run() {
          const out = f(jx.ref, jg.ref);
          await blockUntilReady(out);
          tree.dispose(out);
        },
        dispose() {
          jx.dispose();
          jg.dispose();
          f.dispose();
        },
      };
    },

    trainStep(spec, data) {
      let params: Params = {
        w: data.weights.map((w, i) =>
          np
            .array(transposed(w, data.sizes[i + 1], data.sizes[i]))
            .reshape([data.sizes[i], data.sizes[i + 1]]),
        ),
        b: data.sizes.slice(1).map((n) => np.zeros([n])),
      };
      const x = np.array(data.x).reshape([spec.batch, spec.inputs]);
      const y = nn.oneHot(np.array(data.labels, { dtype: np.int32 }), spec.classes);
      const lossFn = (p: Params, xs: np.Array, ys: np.Array) => {
        let h = xs;
        for (let i = 0; i < p.w.length; i++) {
          h = np.matmul(h, p.w[i]).add(p.b[i]);
          if (i + 1 < p.w.length) h = nn.selu(h);
        }
        return np.mean(np.sum(nn.logSoftmax(h, -1).mul(ys), -1)).mul(-1);
      };
      const step = jit((p: Params, xs: np.Array, ys: np.Array) => {
        const [loss, grads] = valueAndGrad(lossFn)(tree.ref(p), xs, ys);
        const next = tree.map((pi: np.Array, gi: np.Array) => pi.sub(gi.mul(spec.lr)), p, grads) as Params;
        return [loss, next] as [np.Array, Params];
      });
      return {
        async run() {
          const [loss, next] = step(params, x.ref, y.ref);
          params = next;
          await blockUntilReady([loss, params]);
          loss.dispose();
        },
        dispose() {
          tree.dispose(params);
          x.dispose();
          y.dispose();
          step.dispose();
        },
      };
    },
  };
}
