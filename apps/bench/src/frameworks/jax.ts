/** jax-js 0.1.25 on its wasm device, every workload under `jit`. Arrays are reference-counted: see `.ref`. */
import {
  blockUntilReady,
  defaultDevice,
  init,
  jit,
  lax,
  nn,
  numpy as np,
  tree,
  valueAndGrad,
  vjp,
} from '@jax-js/jax';
import { transposed } from '../workloads';
import type { Framework } from './types';

type Params = { w: np.Array[]; b: np.Array[] };
type CnnParams = { k: np.Array[]; kb: np.Array[]; w: np.Array[]; b: np.Array[] };

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

    cnnStep(spec, data) {
      const [c1, c2] = spec.channels;
      const flat = c2 * 49;
      let params: CnnParams = {
        k: [np.array(data.conv[0]).reshape([c1, 1, 3, 3]), np.array(data.conv[1]).reshape([c2, c1, 3, 3])],
        kb: [np.zeros([c1]), np.zeros([c2])],
        w: [
          np.array(transposed(data.linear[0], spec.hidden, flat)).reshape([flat, spec.hidden]),
          np
            .array(transposed(data.linear[1], spec.classes, spec.hidden))
            .reshape([spec.hidden, spec.classes]),
        ],
        b: [np.zeros([spec.hidden]), np.zeros([spec.classes])],
      };
      const x = np.array(data.x).reshape([spec.batch, 1, 28, 28]);
      const y = nn.oneHot(np.array(data.labels, { dtype: np.int32 }), spec.classes);
      const pad: [number, number][] = [
        [1, 1],
        [1, 1],
      ];
      const lossFn = (p: CnnParams, xs: np.Array, ys: np.Array) => {
        let h = xs;
        for (let i = 0; i < 2; i++) {
          const c = spec.channels[i];
          const side = 28 >> i;
          h = nn.selu(lax.conv(h, p.k[i], [1, 1], pad).add(p.kb[i].reshape([1, c, 1, 1])));
          // 2×2 max pooling as a reshape and a max over the two window axes.
          h = np.max(h.reshape([spec.batch, c, side / 2, 2, side / 2, 2]), [3, 5]);
        }
        h = h.reshape([spec.batch, flat]);
        h = nn.selu(np.matmul(h, p.w[0]).add(p.b[0]));
        h = np.matmul(h, p.w[1]).add(p.b[1]);
        return np.mean(np.sum(nn.logSoftmax(h, -1).mul(ys), -1)).mul(-1);
      };
      const step = jit((p: CnnParams, xs: np.Array, ys: np.Array) => {
        const [loss, grads] = valueAndGrad(lossFn)(tree.ref(p), xs, ys);
        const next = tree.map((pi: np.Array, gi: np.Array) => pi.sub(gi.mul(spec.lr)), p, grads) as CnnParams;
        return [loss, next] as [np.Array, CnnParams];
      });
      return {
        async run() {
          const [loss, next] = step(params, x.ref, y.ref);
          params = next;
          await blockUntilReady([loss, params]);
          const value = (await loss.data())[0];
          return value;
        },
        dispose() {
          tree.dispose(params);
          x.dispose();
          y.dispose();
          step.dispose();
        },
      };
    },

    conv(spec, x, w, g) {
      const { batch: n, inChannels: c, outChannels: o, size: h, kernel: k } = spec;
      const jx = np.array(x).reshape([n, c, h, h]);
      const jw = np.array(w).reshape([o, c, k, k]);
      const jg = np.array(g).reshape([n, o, h, h]);
      const pad: [number, number][] = [
        [1, 1],
        [1, 1],
      ];
      const f = jit((xs: np.Array, ws: np.Array, gs: np.Array) => {
        const [out, back] = vjp((a: np.Array, b: np.Array) => lax.conv(a, b, [1, 1], pad), [xs, ws]);
        const [dx, dw] = back(gs);
        return [out, dx, dw];
      });
      return {
        async run() {
          const out = f(jx.ref, jw.ref, jg.ref);
          await blockUntilReady(out);
          tree.dispose(out);
        },
        dispose() {
          jx.dispose();
          jw.dispose();
          jg.dispose();
          f.dispose();
        },
      };
    },
  };
}
