/**
 * The op table on the WebGPU device: each op runs on tensors created on 'cpu' and on 'webgpu' from the same
 * float32 values, forward and backward (a random upstream gradient), and the outputs and every input's
 * gradient agree within float32 tolerance. Tensor-level: creation, `to`, autograd and the memory module
 * all take the device path.
 */
import * as T from '../../src/index';
import type { Check } from './harness';

type Op = (...t: T.Tensor[]) => T.Tensor;
interface OpCase {
  name: string;
  shapes: number[][];
  op: Op;
  /** Inputs that are not differentiated (indices, masks), with their values. */
  constants?: Record<number, number[]>;
  positive?: boolean;
  tol?: number;
}

const idx = (n: number, len: number) => Array.from({ length: n }, (_, i) => (i * 7 + 3) % len);

const OPS: OpCase[] = [
  { name: 'add (broadcast)', shapes: [[3, 17], [17]], op: T.add },
  {
    name: 'sub (broadcast)',
    shapes: [
      [17, 1],
      [1, 3],
    ],
    op: T.sub,
  },
  { name: 'mul', shapes: [[129], [129]], op: T.mul },
  {
    name: 'div',
    shapes: [
      [3, 17],
      [3, 1],
    ],
    op: T.div,
    positive: true,
  },
  { name: 'pow', shapes: [[17], [17]], op: T.pow, positive: true },
  { name: 'maximum', shapes: [[3, 17], [17]], op: T.maximum },
  { name: 'minimum', shapes: [[17], [3, 17]], op: T.minimum },
  { name: 'exp', shapes: [[1000]], op: T.exp },
  { name: 'log', shapes: [[129]], op: T.log, positive: true },
  { name: 'sqrt', shapes: [[129]], op: T.sqrt, positive: true },
  { name: 'abs', shapes: [[17]], op: T.abs },
  { name: 'tanh', shapes: [[129]], op: T.tanh },
  { name: 'sigmoid', shapes: [[129]], op: T.sigmoid },
  { name: 'softplus', shapes: [[129]], op: T.softplus },
  { name: 'selu', shapes: [[1000]], op: T.selu },
  { name: 'relu', shapes: [[129]], op: T.relu },
  { name: 'elu', shapes: [[129]], op: (x) => T.elu(x, 1.5) },
  { name: 'clamp', shapes: [[129]], op: (x) => T.clamp(x, -0.5, 0.7) },
  { name: 'sum over an axis', shapes: [[17, 129]], op: (x) => T.sum(x, 0) },
  { name: 'sum of all', shapes: [[3, 1000]], op: (x) => T.sum(x) },
  { name: 'max over an axis', shapes: [[17, 3]], op: (x) => T.max(x, 1) },
  { name: 'min over axes', shapes: [[3, 17, 5]], op: (x) => T.min(x, [0, 2]) },
  { name: 'mean', shapes: [[17, 129]], op: (x) => T.mean(x, 1, { keepDims: true }) },
  { name: 'variance', shapes: [[129, 3]], op: (x) => T.variance(x, 0) },
  { name: 'softmax', shapes: [[17, 10]], op: (x) => T.softmax(x, -1) },
  { name: 'logSoftmax', shapes: [[129, 10]], op: (x) => T.logSoftmax(x, -1) },
  { name: 'logSumExp', shapes: [[3, 129]], op: (x) => T.logSumExp(x, 1) },
  {
    name: 'matmul',
    shapes: [
      [17, 129],
      [129, 3],
    ],
    op: T.matmul,
    tol: 1e-5,
  },
  {
    name: 'matmul (batched, broadcast)',
    shapes: [
      [2, 3, 17],
      [17, 5],
    ],
    op: T.matmul,
    tol: 1e-5,
  },
  {
    name: 'matmulT (both transposed)',
    shapes: [
      [129, 17],
      [3, 129],
    ],
    op: (a, b) => T.matmulT(a, b, true, true),
    tol: 1e-5,
  },
  { name: 'linear', shapes: [[17, 129], [3, 129], [3]], op: T.linear, tol: 1e-5 },
  { name: 'transpose', shapes: [[17, 3]], op: (x) => T.transpose(x) },
  { name: 'permute', shapes: [[2, 3, 17]], op: (x) => T.permute(x, [2, 0, 1]) },
  { name: 'expand', shapes: [[3, 1]], op: (x) => T.expand(x, [3, 17]) },
  { name: 'reshape', shapes: [[3, 17]], op: (x) => T.reshape(x, [17, 3]) },
  {
    name: 'slice (step 2)',
    shapes: [[17, 129]],
    op: (x) =>
      T.slice(x, [
        [1, 16, 2],
        [null, null, 3],
      ]),
  },
  {
    name: 'gather',
    shapes: [
      [17, 10],
      [17, 1],
    ],
    op: (x, i) => T.gather(x, 1, i),
    constants: { 1: idx(17, 10) },
  },
  { name: 'indexSelect', shapes: [[17, 5]], op: (x) => T.indexSelect(x, 0, idx(9, 17)) },
  {
    name: 'concat',
    shapes: [
      [3, 17],
      [3, 1],
      [3, 5],
    ],
    op: (a, b, c) => T.concat([a, b, c], 1),
  },
  {
    name: 'where',
    shapes: [[3, 17], [3, 17], [17]],
    op: (c, a, b) => T.where(c, a, b),
    constants: { 0: Array.from({ length: 51 }, (_, i) => (i % 3 === 0 ? 1 : 0)) },
  },
  {
    name: 'maskedAffine (AlphaDropout)',
    shapes: [
      [3, 129],
      [3, 129],
    ],
    op: (x, u) => T.maskedAffine(x, u, 0.8, 1.1, 0.25, -1.6),
    constants: { 1: Array.from({ length: 387 }, (_, i) => ((i * 37) % 100) / 100) },
  },
  {
    name: 'conv2d (padding, stride)',
    shapes: [[2, 3, 9, 9], [4, 3, 3, 3], [4]],
    op: (x, w, b) => T.conv2d(x, w, b, { stride: 2, padding: 1 }),
    tol: 1e-5,
  },
  { name: 'maxPool2d', shapes: [[2, 3, 9, 9]], op: (x) => T.maxPool2d(x, 2) },
  {
    name: 'batchNorm',
    shapes: [[17, 3, 5], [3], [3]],
    op: (x, w, b) => T.batchNorm(x, w, b).output,
    tol: 1e-5,
  },
  { name: 'avgPool2d', shapes: [[2, 3, 9, 9]], op: (x) => T.avgPool2d(x, 3, { stride: 2, padding: 1 }) },
];

async function values(t: T.Tensor): Promise<Float32Array> {
  return (await t.read()) as Float32Array;
}

/** Runs each op on both devices, forward and backward, and compares. */
export async function opTable(c: Check): Promise<void> {
  for (const k of OPS) {
    const data = k.shapes.map((s, i) => {
      const n = s.reduce((a, b) => a * b, 1);
      if (k.constants?.[i]) return Float32Array.from(k.constants[i]);
      return k.positive ? c.values(n, 0.3, 3) : c.values(n);
    });
    const run = async (device: 'cpu' | 'webgpu') => {
      const inputs = data.map((d, i) =>
        T.tensor(d, { device, requiresGrad: !k.constants?.[i] }).reshape(k.shapes[i]),
      );
      const out = k.op(...inputs);
      const upstream = T.tensor(
        new Float32Array(out.size).map((_, j) => Math.sin(j + 1)),
        { device },
      ).reshape(out.shape);
      T.sum(T.mul(out, upstream)).backward();
      const grads = await Promise.all(
        inputs.map((t) => (t.grad ? values(t.grad) : Promise.resolve(new Float32Array(0)))),
      );
      return { device: out.device.name, shape: out.shape, value: await values(out), grads };
    };
    const cpu = await run('cpu');
    const gpu = await run('webgpu');
    const tol = k.tol ?? 2e-6;
    c.expect(gpu.device === 'webgpu', `${k.name}: the result lives on ${gpu.device}`);
    c.expect(gpu.shape.join() === cpu.shape.join(), `${k.name}: shape [${gpu.shape}] vs [${cpu.shape}]`);
    c.close(`${k.name} forward`, gpu.value, cpu.value, tol, tol);
    cpu.grads.forEach((g, i) => {
      c.close(`${k.name} gradient of input ${i}`, gpu.grads[i], g, tol * 4, tol * 4);
    });
  }
}
