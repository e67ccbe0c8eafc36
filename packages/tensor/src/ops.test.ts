/**
 * The op table: every primitive and composite walks the same checks —
 *   1. float64 forward against a naive float64 reference (ops-reference.ts), to 1e-12;
 *   2. float32 forward against the same reference on the float32-rounded inputs, to ~1e-6 relative;
 *   3. gradcheck in float64 (central differences, random upstream gradient), broadcast shapes included;
 * all of it once on the fast (WebAssembly SIMD) kernels and once on the reference kernels.
 * Error cases and kink conventions are tested below the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from './index';
import {
  at,
  broadcastShape,
  indexSelectRef,
  lseOf,
  mapRef,
  matmulRef,
  meanOf,
  permuteRef,
  type Ref,
  reduceRef,
  size,
  softplusRef,
  sumOf,
  unravel,
  varOf,
} from './ops-reference';
import {
  adaptiveAvgRef,
  type ConvRefOptions,
  conv1dRef,
  conv2dRef,
  type PoolRefOptions,
  pad2dRef,
  poolRef,
} from './ops-reference-conv';
import type { Tensor } from './tensor';
import { expectClose, gradcheck } from './testing';

type Domain = 'any' | 'wide' | 'positive' | 'nonzero' | 'index3' | 'mask';
interface Input {
  shape: number[];
  domain?: Domain;
  /** Not differentiated (indices, masks). */
  constant?: boolean;
}
interface Case {
  name: string;
  inputs: Input[];
  op: (...t: Tensor[]) => Tensor;
  ref: (...r: Ref[]) => Ref;
  grad?: boolean;
}

const rng = new T.Rng(1234);
function sample(domain: Domain = 'any'): number {
  const z = rng.normal();
  if (domain === 'wide') return 15 * z;
  if (domain === 'positive') return Math.abs(z) + 0.5;
  if (domain === 'nonzero') return Math.sign(z || 1) * (Math.abs(z) + 0.3);
  if (domain === 'index3') return rng.int(0, 3);
  if (domain === 'mask') return z > 0 ? 1 : 0;
  return z;
}

const cases: Case[] = [];
const add = (c: Case) => cases.push(c);
const BROADCAST: Array<[number[], number[]]> = [
  [
    [3, 4],
    [3, 4],
  ],
  [[2, 3, 4], [4]],
  [
    [3, 1],
    [1, 4],
  ],
  [[], [2, 3]],
];

function binary(
  name: string,
  op: (a: Tensor, b: Tensor) => Tensor,
  f: (a: number, b: number) => number,
  da?: Domain,
  db?: Domain,
  grad = true,
) {
  for (const [sa, sb] of BROADCAST) {
    add({
      name: `${name} ${JSON.stringify(sa)}·${JSON.stringify(sb)}`,
      inputs: [
        { shape: sa, domain: da },
        { shape: sb, domain: db },
      ],
      op,
      ref: (a, b) => mapRef(f, a, b),
      grad,
    });
  }
}
function unary(name: string, op: (a: Tensor) => Tensor, f: (a: number) => number, domain?: Domain) {
  for (const shape of [[5], [2, 3, 4], []])
    add({
      name: `${name} ${JSON.stringify(shape)}`,
      inputs: [{ shape, domain }],
      op,
      ref: (a) => mapRef(f, a),
    });
}

binary('add', T.add, (a, b) => a + b);
binary('sub', T.sub, (a, b) => a - b);
binary('mul', T.mul, (a, b) => a * b);
binary('div', T.div, (a, b) => a / b, 'any', 'nonzero');
binary('pow', T.pow, (a, b) => a ** b, 'positive', 'any');
binary('maximum', T.maximum, Math.max);
binary('minimum', T.minimum, Math.min);
binary('eq', T.eq, (a, b) => +(a === b), 'any', 'any', false);
binary('ne', T.ne, (a, b) => +(a !== b), 'any', 'any', false);
binary('lt', T.lt, (a, b) => +(a < b), 'any', 'any', false);
binary('le', T.le, (a, b) => +(a <= b), 'any', 'any', false);
binary('gt', T.gt, (a, b) => +(a > b), 'any', 'any', false);
binary('ge', T.ge, (a, b) => +(a >= b), 'any', 'any', false);
add({
  // u as a 0/1 mask against threshold 0.5: kept entries a·x + b, dropped ones c
  name: 'maskedAffine',
  inputs: [{ shape: [3, 4] }, { shape: [3, 4], domain: 'mask', constant: true }],
  op: (x, u) => T.maskedAffine(x, u, 0.5, 1.25, 0.5, -1.5),
  ref: (x, u) => mapRef((v, m) => (m < 0.5 ? 1.25 * v + 0.5 : -1.5), x, u),
});
add({
  name: 'where',
  inputs: [{ shape: [3, 1], domain: 'mask', constant: true }, { shape: [3, 4] }, { shape: [4] }],
  op: T.where,
  ref: (c, a, b) => mapRef((p, q, r) => (p ? q : r), c, a, b),
});

unary('neg', T.neg, (a) => -a);
unary('exp', T.exp, Math.exp);
unary('log', T.log, Math.log, 'positive');
unary('sqrt', T.sqrt, Math.sqrt, 'positive');
unary('abs', T.abs, Math.abs, 'nonzero');
unary('tanh', T.tanh, Math.tanh);
unary('sigmoid', T.sigmoid, (a) => 1 / (1 + Math.exp(-a)));
unary('square', T.square, (a) => a * a);
unary('relu', T.relu, (a) => Math.max(a, 0), 'nonzero');
unary(
  'elu',
  (x) => T.elu(x, 1.3),
  (a) => (a > 0 ? a : 1.3 * (Math.exp(a) - 1)),
  'nonzero',
);
unary(
  'selu',
  T.selu,
  (a) => (a > 0 ? T.SELU_LAMBDA * a : T.SELU_LAMBDA * T.SELU_ALPHA * Math.expm1(a)),
  'nonzero',
);
unary('softplus', T.softplus, softplusRef);
unary('softplus wide', T.softplus, softplusRef, 'wide');
unary(
  'clamp',
  (x) => T.clamp(x, -0.7, 0.8),
  (a) => Math.min(Math.max(a, -0.7), 0.8),
);

type Reduction = [
  string,
  (x: Tensor, axis?: number | number[], o?: { keepDims?: boolean }) => Tensor,
  (v: number[]) => number,
];
const reductions: Reduction[] = [
  ['sum', T.sum, sumOf],
  ['mean', T.mean, meanOf],
  ['max', T.max, (v) => Math.max(...v)],
  ['min', T.min, (v) => Math.min(...v)],
  ['variance', T.variance, (v) => varOf(v)],
  ['std', T.std, (v) => Math.sqrt(varOf(v))],
  ['logSumExp', T.logSumExp, lseOf],
];
for (const [name, op, f] of reductions) {
  for (const [axis, keepDims] of [
    [undefined, false],
    [1, false],
    [[0, 2], true],
    [-1, true],
  ] as const) {
    const ax = axis === undefined ? undefined : typeof axis === 'number' ? [axis] : [...axis];
    add({
      name: `${name} axis=${JSON.stringify(axis)} keepDims=${keepDims}`,
      inputs: [{ shape: [2, 3, 4] }],
      op: (x) => op(x, ax, { keepDims }),
      ref: (x) => reduceRef(x, ax, keepDims, f),
    });
  }
}
// Leading axes (the column-sum kernel, four rows at a time): row counts that are and are not multiples of 4.
for (const [shape, axes] of [
  [[7, 5], [0]],
  [[8, 3], [0]],
  [
    [9, 2, 3],
    [0, 1],
  ],
] as const) {
  add({
    name: `sum leading axes ${JSON.stringify(axes)} of ${JSON.stringify(shape)}`,
    inputs: [{ shape: [...shape] }],
    op: (x) => T.sum(x, [...axes]),
    ref: (x) => reduceRef(x, [...axes], false, sumOf),
  });
}
add({
  name: 'variance correction=0',
  inputs: [{ shape: [3, 5] }],
  op: (x) => T.variance(x, 1, { correction: 0 }),
  ref: (x) => reduceRef(x, [1], false, (v) => varOf(v, 0)),
});
for (const axis of [-1, 0]) {
  const soft = (x: Ref, log: boolean): Ref => {
    const lse = reduceRef(x, [axis], true, lseOf);
    return mapRef((v, l) => (log ? v - l : Math.exp(v - l)), x, lse);
  };
  add({
    name: `softmax axis=${axis}`,
    inputs: [{ shape: [3, 4] }],
    op: (x) => T.softmax(x, axis),
    ref: (x) => soft(x, false),
  });
  add({
    name: `logSoftmax axis=${axis}`,
    inputs: [{ shape: [3, 4] }],
    op: (x) => T.logSoftmax(x, axis),
    ref: (x) => soft(x, true),
  });
}
const argRef = (x: Ref, axis: number, sign: number): Ref =>
  reduceRef(x, [axis], false, (v) => v.reduce((best, u, i) => (sign * u > sign * v[best] ? i : best), 0));
add({
  name: 'argmax axis=1',
  inputs: [{ shape: [3, 5] }],
  op: (x) => T.argmax(x, 1),
  ref: (x) => argRef(x, 1, 1),
  grad: false,
});
add({
  name: 'argmin axis=0',
  inputs: [{ shape: [3, 5] }],
  op: (x) => T.argmin(x, 0),
  ref: (x) => argRef(x, 0, -1),
  grad: false,
});
add({
  name: 'argmax all',
  inputs: [{ shape: [3, 5] }],
  op: (x) => T.argmax(x),
  ref: (x) => argRef({ shape: [x.data.length], data: x.data }, 0, 1),
  grad: false,
});

const same =
  (shape: number[]) =>
  (x: Ref): Ref => ({ shape, data: x.data });
add({ name: 'reshape', inputs: [{ shape: [2, 6] }], op: (x) => T.reshape(x, [3, -1]), ref: same([3, 4]) });
add({ name: 'flatten', inputs: [{ shape: [2, 3, 4] }], op: (x) => T.flatten(x, 1), ref: same([2, 12]) });
add({ name: 'squeeze', inputs: [{ shape: [2, 1, 3] }], op: (x) => T.squeeze(x, 1), ref: same([2, 3]) });
add({ name: 'unsqueeze', inputs: [{ shape: [2, 3] }], op: (x) => T.unsqueeze(x, -1), ref: same([2, 3, 1]) });
add({
  name: 'transpose',
  inputs: [{ shape: [3, 4] }],
  op: (x) => T.transpose(x),
  ref: (x) => permuteRef(x, [1, 0]),
});
add({
  name: 'permute',
  inputs: [{ shape: [2, 3, 4] }],
  op: (x) => T.permute(x, [2, 0, 1]),
  ref: (x) => permuteRef(x, [2, 0, 1]),
});
add({
  name: 'expand',
  inputs: [{ shape: [3, 1] }],
  op: (x) => T.expand(x, [2, 3, 4]),
  ref: (x) => mapRef((v) => v, x, { shape: [2, 3, 4], data: new Array(24).fill(0) }),
});
add({
  name: 'slice x[1:, ::2]',
  inputs: [{ shape: [3, 5] }],
  op: (x) => T.slice(x, [[1], [undefined, undefined, 2]]),
  ref: (x) => ({ shape: [2, 3], data: [1, 2].flatMap((i) => [0, 2, 4].map((j) => x.data[i * 5 + j])) }),
});
add({
  name: 'slice x[-1]',
  inputs: [{ shape: [3, 4] }],
  op: (x) => T.slice(x, [-1]),
  ref: (x) => ({ shape: [4], data: x.data.slice(8) }),
});
/** Batch normalization over every axis but 1 with biased batch statistics, in float64. */
function batchNormRef(x: Ref, w?: Ref, b?: Ref): Ref {
  const [n, c] = x.shape;
  const inner = x.data.length / (n * c);
  const data = x.data.slice();
  for (let ch = 0; ch < c; ch++) {
    const idx: number[] = [];
    for (let o = 0; o < n; o++) for (let i = 0; i < inner; i++) idx.push((o * c + ch) * inner + i);
    const mu = idx.reduce((s, k) => s + x.data[k], 0) / idx.length;
    const v = idx.reduce((s, k) => s + (x.data[k] - mu) ** 2, 0) / idx.length;
    for (const k of idx)
      data[k] = ((x.data[k] - mu) / Math.sqrt(v + 1e-5)) * (w ? w.data[ch] : 1) + (b ? b.data[ch] : 0);
  }
  return { shape: x.shape, data };
}
add({
  name: 'batchNorm [N, C] with weight and bias',
  inputs: [{ shape: [6, 3] }, { shape: [3] }, { shape: [3] }],
  op: (x, w, b) => T.batchNorm(x, w, b).output,
  ref: batchNormRef,
});
add({
  name: 'batchNorm [N, C, H, W], no affine',
  inputs: [{ shape: [3, 2, 2, 3] }],
  op: (x) => T.batchNorm(x).output,
  ref: (x) => batchNormRef(x),
});
add({
  name: 'batchNorm [N, C, L], bias only',
  inputs: [{ shape: [4, 3, 5] }, { shape: [3] }],
  op: (x, b) => T.batchNorm(x, null, b).output,
  ref: (x, b) => batchNormRef(x, undefined, b),
});
add({
  name: 'gather axis=1',
  inputs: [{ shape: [4, 3] }, { shape: [4, 2], domain: 'index3', constant: true }],
  op: (x, i) => T.gather(x, 1, i),
  ref: (x, i) => ({ shape: i.shape, data: i.data.map((k, q) => x.data[Math.floor(q / 2) * 3 + k]) }),
});
add({
  name: 'scatterAdd axis=1',
  inputs: [{ shape: [4, 2] }, { shape: [4, 2], domain: 'index3', constant: true }],
  op: (src, i) => T.scatterAdd([4, 3], 1, i, src),
  ref: (src, i) => {
    const data = new Array<number>(12).fill(0);
    i.data.forEach((k, q) => {
      data[Math.floor(q / 2) * 3 + k] += src.data[q];
    });
    return { shape: [4, 3], data };
  },
});
add({
  name: 'narrow axis=1',
  inputs: [{ shape: [3, 5] }],
  op: (x) => T.narrow(x, 1, 1, 3),
  ref: (x) => ({ shape: [3, 3], data: [0, 1, 2].flatMap((i) => [1, 2, 3].map((j) => x.data[i * 5 + j])) }),
});
add({
  name: 'cast (float64 → float32 → float64)',
  inputs: [{ shape: [2, 3] }],
  op: (x) => T.cast(T.cast(x, 'float32'), x.dtype),
  ref: (x) => ({ shape: x.shape, data: x.data.map(Math.fround) }),
  grad: false,
});
add({
  name: 'sign',
  inputs: [{ shape: [2, 3], domain: 'nonzero' }],
  op: T.sign,
  ref: (x) => mapRef(Math.sign, x),
  grad: false,
});
add({
  name: 'indexSelect axis=1 (repeated indices)',
  inputs: [{ shape: [2, 3, 4] }, { shape: [5], domain: 'index3', constant: true }],
  op: (x, i) => T.indexSelect(x, 1, i),
  ref: (x, i) => indexSelectRef(x, 1, i.data),
});
add({
  name: 'indexSelect axis=0 (rows, as Embedding)',
  inputs: [{ shape: [3, 4] }, { shape: [4], domain: 'index3', constant: true }],
  op: (x, i) => x.indexSelect(0, i),
  ref: (x, i) => indexSelectRef(x, 0, i.data),
});
add({
  name: 'indexSelect axis=-1, 0-D index',
  inputs: [{ shape: [2, 3] }, { shape: [], domain: 'index3', constant: true }],
  op: (x, i) => T.indexSelect(x, -1, i),
  ref: (x, i) => indexSelectRef(x, -1, i.data),
});
add({
  name: 'concat axis=1',
  inputs: [{ shape: [2, 3] }, { shape: [2, 1] }],
  op: (a, b) => T.concat([a, b], 1),
  ref: (a, b) => ({
    shape: [2, 4],
    data: [0, 1].flatMap((i) => [...a.data.slice(i * 3, i * 3 + 3), b.data[i]]),
  }),
});
add({
  name: 'stack axis=1',
  inputs: [{ shape: [3] }, { shape: [3] }],
  op: (a, b) => T.stack([a, b], 1),
  ref: (a, b) => ({ shape: [3, 2], data: a.data.flatMap((v, i) => [v, b.data[i]]) }),
});
add({
  name: 'split',
  inputs: [{ shape: [2, 5] }],
  op: (x) => T.split(x, [2, 3], 1)[1],
  ref: (x) => ({ shape: [2, 3], data: [...x.data.slice(2, 5), ...x.data.slice(7, 10)] }),
});

const mm = (a: Ref, b: Ref): Ref => {
  const a2 = a.shape.length === 1 ? { shape: [1, a.shape[0]], data: a.data } : a;
  const b2 = b.shape.length === 1 ? { shape: [b.shape[0], 1], data: b.data } : b;
  const batch = broadcastShape(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const [m, k] = a2.shape.slice(-2);
  const n = b2.shape[b2.shape.length - 1];
  const data: number[] = [];
  for (let q = 0; q < size(batch); q++) {
    const idx = unravel(q, batch);
    const pick = (r: Ref, rows: number, cols: number): Ref => {
      const bshape = r.shape.slice(0, -2);
      const d: number[] = [];
      for (let e = 0; e < rows * cols; e++)
        d.push(
          at({ shape: [...bshape, rows, cols], data: r.data }, [...idx, Math.floor(e / cols), e % cols]),
        );
      return { shape: [rows, cols], data: d };
    };
    data.push(...matmulRef(pick(a2, m, k), pick(b2, k, n)).data);
  }
  let shape = [...batch, m, n];
  if (a.shape.length === 1) shape = [...batch, n];
  if (b.shape.length === 1) shape = a.shape.length === 1 ? [...batch] : [...batch, m];
  return { shape, data };
};
for (const [sa, sb] of [
  [
    [3, 4],
    [4, 5],
  ],
  [[4], [4, 2]],
  [[3, 4], [4]],
  [[4], [4]],
  [
    [2, 1, 3, 4],
    [3, 4, 2],
  ],
  [
    [2, 3, 4],
    [4, 2],
  ],
]) {
  add({
    name: `matmul ${JSON.stringify(sa)}·${JSON.stringify(sb)}`,
    inputs: [{ shape: sa }, { shape: sb }],
    op: T.matmul,
    ref: mm,
  });
}
for (const [ta, tb] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
]) {
  add({
    name: `matmulT transA=${ta} transB=${tb}`,
    inputs: [{ shape: ta ? [4, 3] : [3, 4] }, { shape: tb ? [5, 4] : [4, 5] }],
    op: (a, b) => T.matmulT(a, b, ta, tb),
    ref: (a, b) => matmulRef(ta ? permuteRef(a, [1, 0]) : a, tb ? permuteRef(b, [1, 0]) : b),
  });
}
add({
  name: 'linear',
  inputs: [{ shape: [2, 3, 4] }, { shape: [5, 4] }, { shape: [5] }],
  op: T.linear,
  ref: (x, w, b) => mapRef((p, q) => p + q, mm(x, permuteRef(w, [1, 0])), b),
});
add({
  name: 'oneHot',
  inputs: [{ shape: [4], domain: 'index3', constant: true }],
  op: (i) => T.oneHot(i, 3),
  ref: (i) => ({ shape: [4, 3], data: i.data.flatMap((k) => [0, 1, 2].map((c) => +(c === k))) }),
  grad: false,
});

// Convolution: bias broadcast, odd sizes, stride/padding/dilation/groups, 'same' with an even kernel, the
// 1×1 fast path, depthwise; then the second derivatives (each adjoint's VJP is the other two).
const CONVS: Array<[string, number[], number[], boolean, ConvRefOptions]> = [
  ['padding 1 + bias', [2, 3, 5, 6], [4, 3, 3, 3], true, { padding: 1 }],
  [
    'stride 2, padding [1, 2], dilation [2, 1]',
    [1, 2, 7, 6],
    [3, 2, 3, 2],
    false,
    { stride: 2, padding: [1, 2], dilation: [2, 1] },
  ],
  ['groups 2, stride [2, 1] + bias', [2, 4, 5, 5], [6, 2, 3, 3], true, { groups: 2, stride: [2, 1] }],
  ["'same', even kernel 2×4", [1, 2, 5, 4], [2, 2, 2, 4], true, { padding: 'same' }],
  ["'same', dilation 2", [1, 2, 6, 5], [3, 2, 3, 3], false, { padding: 'same', dilation: 2 }],
  ['1×1 + bias', [2, 3, 4, 5], [4, 3, 1, 1], true, {}],
  ['depthwise, stride 2, padding 1', [1, 3, 5, 5], [3, 1, 3, 3], false, { groups: 3, stride: 2, padding: 1 }],
];
for (const [label, xs, ws, withBias, o] of CONVS) {
  add({
    name: `conv2d ${label}`,
    inputs: withBias ? [{ shape: xs }, { shape: ws }, { shape: [ws[0]] }] : [{ shape: xs }, { shape: ws }],
    op: (x, w, b) => T.conv2d(x, w, b, o as T.ConvOptions),
    ref: (x, w, b) => conv2dRef(x, w, b ?? null, o),
  });
}
add({
  name: 'conv1d stride 2, padding 1, dilation 2 + bias',
  inputs: [{ shape: [2, 3, 9] }, { shape: [4, 3, 3] }, { shape: [4] }],
  op: (x, w, b) => T.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2 }),
  ref: (x, w, b) => conv1dRef(x, w, b, { stride: 2, padding: 1, dilation: 2 }),
});
add({
  name: "conv1d 'same', even kernel, groups 2",
  inputs: [{ shape: [1, 4, 7] }, { shape: [2, 2, 4] }],
  op: (x, w) => T.conv1d(x, w, null, { padding: 'same', groups: 2 }),
  ref: (x, w) => conv1dRef(x, w, null, { padding: 'same', groups: 2 }),
});
const convSquared = (o: T.ConvOptions) => (x: Tensor, w: Tensor) => T.conv2d(x, w, null, o).square().sum();
add({
  name: 'conv2d second order: ∂x and ∂w of Σ conv², differentiated again (stride 2, padding 1, groups 2)',
  inputs: [{ shape: [1, 4, 5, 4] }, { shape: [2, 2, 3, 2] }],
  op: (x, w) => {
    const [gx, gw] = T.grad(convSquared({ stride: 2, padding: 1, groups: 2 }), { argnums: [0, 1] })(x, w);
    return T.concat([gx.flatten(), gw.flatten()]);
  },
  ref: (x, w) => {
    // conv is linear in each argument: ∂(Σ y²)/∂x_i = 2·⟨y, conv(e_i, w)⟩, ∂/∂w_j = 2·⟨y, conv(x, e_j)⟩, exactly.
    const o: ConvRefOptions = { stride: 2, padding: 1, groups: 2 };
    const y = conv2dRef(x, w, null, o).data;
    const basis = (r: Ref, i: number): Ref => ({ shape: r.shape, data: r.data.map((_, j) => +(i === j)) });
    const dot = (v: number[]) => 2 * v.reduce((s, u, i) => s + u * y[i], 0);
    const gx = x.data.map((_, i) => dot(conv2dRef(basis(x, i), w, null, o).data));
    const gw = w.data.map((_, i) => dot(conv2dRef(x, basis(w, i), null, o).data));
    return { shape: [gx.length + gw.length], data: [...gx, ...gw] };
  },
});

// Pooling: odd sizes, stride, padding, dilation, ceilMode (a last window in the padding), 3-D input.
const POOLS: Array<[string, number[], number | number[], PoolRefOptions]> = [
  ['k 2', [2, 3, 6, 7], 2, {}],
  ['k 3, stride 2, padding 1, ceilMode', [1, 2, 7, 8], 3, { stride: 2, padding: 1, ceilMode: true }],
  ['k [2, 3], stride [1, 2], ceilMode', [1, 2, 5, 8], [2, 3], { stride: [1, 2], ceilMode: true }],
];
for (const [label, xs, kernel, o] of POOLS) {
  add({
    name: `maxPool2d ${label}`,
    inputs: [{ shape: xs }],
    op: (x) => T.maxPool2d(x, kernel, o),
    ref: (x) => poolRef('max', x, kernel, o),
  });
  for (const countIncludePad of [true, false]) {
    add({
      name: `avgPool2d ${label}, countIncludePad ${countIncludePad}`,
      inputs: [{ shape: xs }],
      op: (x) => T.avgPool2d(x, kernel, { ...o, countIncludePad }),
      ref: (x) => poolRef('avg', x, kernel, { ...o, countIncludePad }),
    });
  }
}
add({
  name: 'maxPool2d k [2, 3], dilation 2, padding 1',
  inputs: [{ shape: [1, 2, 7, 8] }],
  op: (x) => T.maxPool2d(x, [2, 3], { dilation: 2, padding: 1, stride: 1 }),
  ref: (x) => poolRef('max', x, [2, 3], { dilation: 2, padding: 1, stride: 1 }),
});
add({
  name: 'maxPool2d on [C, H, W], ceilMode',
  inputs: [{ shape: [2, 5, 5] }],
  op: (x) => T.maxPool2d(x, 2, { ceilMode: true }),
  ref: (x) => {
    const y = poolRef('max', { shape: [1, ...x.shape], data: x.data }, 2, { ceilMode: true });
    return { shape: y.shape.slice(1), data: y.data };
  },
});
add({
  name: 'maxPool2d second order (the gradient of a scatter is a gather)',
  inputs: [{ shape: [1, 2, 5, 4] }],
  op: (x) => T.grad((a) => T.maxPool2d(a, 2, { ceilMode: true }).square().sum())(x),
  ref: (x) => {
    const y = poolRef('max', x, 2, { ceilMode: true });
    const out = new Array<number>(x.data.length).fill(0);
    const [, , H, W] = x.shape;
    const [oH, oW] = [y.shape[2], y.shape[3]];
    for (let q = 0; q < 2; q++)
      for (let i = 0; i < oH; i++)
        for (let j = 0; j < oW; j++) {
          const v = y.data[(q * oH + i) * oW + j];
          const at = x.data.findIndex((u, f) => u === v && Math.floor(f / (H * W)) === q);
          out[at] += 2 * v;
        }
    return { shape: x.shape, data: out };
  },
});
for (const [xs, size] of [
  [
    [1, 2, 6, 4],
    [3, 2],
  ],
  [
    [1, 2, 7, 5],
    [3, 2],
  ],
  [
    [2, 3, 5, 5],
    [1, 1],
  ],
] as Array<[number[], [number, number]]>) {
  add({
    name: `adaptiveAvgPool2d ${JSON.stringify(xs)} → ${JSON.stringify(size)}`,
    inputs: [{ shape: xs }],
    op: (x) => T.adaptiveAvgPool2d(x, size),
    ref: (x) => adaptiveAvgRef(x, size[0], size[1]),
  });
}
for (const [mode, pads] of [
  ['constant', [1, 2, 0, 3]],
  ['constant', [-1, 2]],
  ['reflect', [2, 1, 1, 3]],
  ['replicate', [3, 0, 1, 1]],
] as Array<['constant' | 'reflect' | 'replicate', number[]]>) {
  add({
    name: `pad ${mode} ${JSON.stringify(pads)}`,
    inputs: [{ shape: [1, 2, 4, 5] }],
    op: (x) => T.pad(x, pads, { mode, value: 0.5 }),
    ref: (x) => {
      if (pads[0] >= 0) return pad2dRef(x, pads, mode, 0.5);
      // a negative pad crops: drop the first column, then pad the right
      const cropped = pad2dRef(x, [0, 0, 0, 0], mode);
      const [N, C, H, W] = cropped.shape;
      const data = cropped.data.filter((_, i) => i % W !== 0);
      return pad2dRef({ shape: [N, C, H, W - 1], data }, [0, pads[1]], mode, 0.5);
    },
  });
}

function makeRefs(c: Case): Ref[] {
  return c.inputs.map((inp) => ({
    shape: inp.shape,
    data: Array.from({ length: size(inp.shape) }, () => sample(inp.domain)),
  }));
}
const toTensor = (r: Ref, dtype: 'float32' | 'float64', requiresGrad = false) =>
  T.tensor(Float64Array.from(r.data), { shape: r.shape, dtype, requiresGrad });

for (const kernels of ['fast', 'reference'] as const) {
  describe(`op table (${kernels} kernels)`, () => {
    beforeAll(() => {
      T.useFastKernels(kernels === 'fast');
    });
    afterAll(() => {
      T.useFastKernels(true);
    });
    for (const c of cases) {
      describe(c.name, () => {
        const refs = makeRefs(c);
        it('float64 forward matches the reference', () => {
          const out = c.op(...refs.map((r) => toTensor(r, 'float64')));
          const want = c.ref(...refs);
          expect(out.shape).toEqual(want.shape);
          expect(out.dtype).toBe('float64');
          expectClose(out, want.data, { atol: 1e-12, rtol: 1e-12 });
        });
        it('float32 forward matches the reference to ~1e-6', () => {
          const rounded = refs.map((r) => ({ shape: r.shape, data: r.data.map(Math.fround) }));
          const out = c.op(...rounded.map((r) => toTensor(r, 'float32')));
          expect(out.dtype).toBe('float32');
          expectClose(out, c.ref(...rounded).data, { atol: 1e-6, rtol: 2e-6 });
        });
        if (c.grad !== false) {
          it('gradcheck (float64)', () => {
            const inputs = refs.map((r, i) => toTensor(r, 'float64', !c.inputs[i].constant));
            expect(gradcheck(c.op, inputs, { atol: 1e-6, rtol: 1e-5 }).ok).toBe(true);
          });
        }
      });
    }
  });
}

// Exports of @selfnorm/tensor that are not tensor ops, so have no row in the table (each with its reason).
const NOT_OPS: Record<string, string> = {
  Tensor: 'the class',
  Rng: 'the generator',
  tensor: 'creation (creation.test.ts)',
  zeros: 'creation',
  ones: 'creation',
  full: 'creation',
  zerosLike: 'creation',
  onesLike: 'creation',
  arange: 'creation',
  eye: 'creation',
  rand: 'creation (random.test.ts)',
  randn: 'creation',
  randint: 'creation',
  grad: 'autograd (functional.test.ts)',
  gradients: 'autograd',
  valueAndGrad: 'autograd',
  customOp: 'autograd',
  noGrad: 'grad mode',
  enableGrad: 'grad mode',
  isGradEnabled: 'grad mode',
  checkTensor: 'argument checks (arg-checks.test.ts)',
  describeValue: 'argument checks',
  broadcastShapes: 'shape arithmetic (shape.test.ts)',
  axpy: 'in-place update (ops/in-place.test.ts)',
  assign: 'in-place update',
  sgdStep: 'in-place update',
  adamStep: 'in-place update',
  useFastKernels: 'CPU kernel-set switch',
  initFastKernels: 'CPU kernels',
  fastKernelsAvailable: 'CPU kernels',
  matmulKernelInUse: 'CPU kernels (matmul.test.ts)',
  useCpuWorkers: 'CPU worker pool (matmul.test.ts)',
  cpuThreadStats: 'CPU worker pool',
  storagePoolStats: 'memory (memory.test.ts)',
  setStoragePoolLimit: 'memory',
  getDevice: 'devices (device.test.ts)',
  getDefaultDevice: 'devices',
  setDefaultDevice: 'devices',
  registerDevice: 'devices',
  deviceNames: 'devices',
  initWebGPU: 'the WebGPU device (browser-tests/webgpu.test.ts, webgpu-node.test.ts)',
  webgpuDevice: 'the WebGPU device',
  createWebGPUDevice: 'the WebGPU device',
};

describe('the op table covers every op @selfnorm/tensor exports', () => {
  it('each exported function is a row (by the first word of a case name) or listed as not an op', () => {
    const covered = new Set(cases.map((c) => c.name.split(/[\s(]/)[0]));
    const missing = Object.entries(T)
      .filter(([name, value]) => typeof value === 'function' && !(name in NOT_OPS) && !covered.has(name))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });
});
