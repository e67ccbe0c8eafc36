/**
 * An MLP training loop written against the seam's `Kernels` alone (softmax cross-entropy, SGD), so that one
 * code path runs on the CPU and WebGPU devices and every buffer is allocated and destroyed explicitly: the
 * memory test counts the device's own bytes with nothing left to the garbage collector.
 */
import type { DeviceBuffer, Kernels } from '../../src/device/device';
import { Rng } from '../../src/random';

/** Where the loop runs: kernels, and how buffers are made and freed. */
export interface Place {
  kernels: Omit<Kernels, 'random'>;
  /** A buffer of n elements, zeroed when asked (the CPU's always are). */
  alloc(n: number, zeroed?: boolean): DeviceBuffer;
  upload(a: Float32Array): DeviceBuffer;
  free(b: DeviceBuffer): void;
  read(b: DeviceBuffer): Promise<Float32Array>;
}

/** The layer widths of W2a: 784 → 8 × 512 → 10. */
export const W2A = [784, 512, 512, 512, 512, 512, 512, 512, 512, 10];

/** LeCun-normal weights [in, out] and zero biases, from one seed. */
export function initWeights(widths: readonly number[], seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const out: Float32Array[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const w = new Float32Array(widths[l] * widths[l + 1]);
    const sd = Math.sqrt(1 / widths[l]);
    for (let i = 0; i < w.length; i++) w[i] = sd * rng.normal();
    out.push(w, new Float32Array(widths[l + 1]));
  }
  return out;
}

/** One batch: inputs in [0, 1), and as label the decile of each row's first input (something to learn). */
export function batch(
  rng: Rng,
  size: number,
  features: number,
  classes: number,
): [Float32Array, Float32Array] {
  const x = new Float32Array(size * features);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  const y = new Float32Array(size).map((_, r) =>
    Math.min(classes - 1, Math.floor(x[r * features] * classes)),
  );
  return [x, y];
}

/**
 * One SGD step on `params` (uploaded [W, b] per layer) for batch (x, y); returns the loss buffer (a [1]
 * buffer the caller reads and frees). Every temporary is freed before it returns.
 */
export function trainStep(
  p: Place,
  widths: readonly number[],
  params: DeviceBuffer[],
  x: DeviceBuffer,
  y: DeviceBuffer,
  bsz: number,
  lr: number,
): DeviceBuffer {
  const k = p.kernels;
  const L = widths.length - 1;
  const acts: DeviceBuffer[] = [x];
  for (let l = 0; l < L; l++) {
    const [inW, outW] = [widths[l], widths[l + 1]];
    const z = p.alloc(bsz * outW);
    k.matmul(acts[l], params[2 * l], z, 1, bsz, outW, inW, false, false);
    const zb = p.alloc(bsz * outW);
    k.binary('add', z, [outW, 1], params[2 * l + 1], [0, 1], zb, [bsz, outW]);
    p.free(z);
    if (l < L - 1) {
      const h = p.alloc(bsz * outW);
      k.selu(zb, h);
      p.free(zb);
      acts.push(h);
    } else acts.push(zb);
  }
  // Softmax cross-entropy, mean over the batch.
  const C = widths[L];
  const logits = acts[L];
  const mx = p.alloc(bsz);
  k.reduce('max', logits, [bsz, C], [1], mx);
  const sh = p.alloc(bsz * C);
  k.binary('sub', logits, [C, 1], mx, [1, 0], sh, [bsz, C]);
  const e = p.alloc(bsz * C);
  k.unary('exp', sh, e);
  const s = p.alloc(bsz);
  k.reduce('sum', e, [bsz, C], [1], s);
  const logS = p.alloc(bsz);
  k.unary('log', s, logS);
  const picked = p.alloc(bsz);
  k.gather(sh, y, picked, bsz, C, 1, 1, false, 'gather');
  const nll = p.alloc(bsz);
  k.binary('sub', logS, [1], picked, [1], nll, [bsz]);
  const total = p.alloc(1);
  k.reduce('sum', nll, [bsz], [0], total);
  const invB = p.upload(new Float32Array([1 / bsz]));
  const loss = p.alloc(1);
  k.binary('mul', total, [1], invB, [1], loss, [1]);
  // dlogits = (softmax − onehot) / B
  const soft = p.alloc(bsz * C);
  k.binary('div', e, [C, 1], s, [1, 0], soft, [bsz, C]);
  const ones = p.alloc(bsz);
  k.fill(ones, 1);
  const onehot = p.alloc(bsz * C, true); // scatter adds into it
  k.gather(ones, y, onehot, bsz, C, 1, 1, true, 'scatterAdd');
  const diff = p.alloc(bsz * C);
  k.binary('sub', soft, [1], onehot, [1], diff, [bsz * C]);
  let dz = p.alloc(bsz * C);
  k.binary('mul', diff, [1], invB, [0], dz, [bsz * C]);
  for (const b of [mx, sh, e, s, logS, picked, nll, total, invB, soft, ones, onehot, diff]) p.free(b);
  for (let l = L - 1; l >= 0; l--) {
    const [inW, outW] = [widths[l], widths[l + 1]];
    const dW = p.alloc(inW * outW);
    k.matmul(acts[l], dz, dW, 1, inW, outW, bsz, true, false);
    const db = p.alloc(outW);
    k.reduce('sum', dz, [bsz, outW], [0], db);
    if (l > 0) {
      const dh = p.alloc(bsz * inW);
      k.matmul(dz, params[2 * l], dh, 1, bsz, inW, outW, false, true);
      const dzPrev = p.alloc(bsz * inW);
      k.seluGrad(dh, acts[l], dzPrev);
      p.free(dh);
      p.free(dz);
      dz = dzPrev;
    } else p.free(dz);
    k.axpy(-lr, dW, params[2 * l]);
    k.axpy(-lr, db, params[2 * l + 1]);
    p.free(dW);
    p.free(db);
  }
  for (let l = 1; l <= L; l++) p.free(acts[l]);
  return loss;
}
