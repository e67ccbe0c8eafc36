/**
 * The WebGPU kernel cases: each runs kernels on the GPU and on the CPU reference from the same inputs, on
 * the odd sizes 1, 3, 17, 129, 1000 and transposed operands, and records disagreements (float32 tolerance).
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../../src/device/device';
import { philox2x32 } from '../../src/devices/webgpu/kernels-random';
import { Rng } from '../../src/random';
import { nnForwardBackward } from './cases-nn';
import { opTable } from './cases-ops';
import { TRAINING_CASES } from './cases-training';
import { broadcastStrides, type Check, contiguousStrides, SIZES, size } from './harness';

const UNARY: UnaryOp[] = ['exp', 'log', 'sqrt', 'sign', 'abs', 'tanh', 'sigmoid', 'softplus'];
const BINARY: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
];

/** [a shape, b shape] pairs broadcast against each other, for size n. */
function broadcastPairs(n: number): [number[], number[]][] {
  return [
    [[n], [n]],
    [[3, n], [n]],
    [
      [n, 1],
      [1, 5],
    ],
    [[n], []],
    [[], [n]],
    [
      [2, 1, n],
      [3, 1],
    ],
  ];
}

function broadcastShape(a: number[], b: number[]): number[] {
  const nd = Math.max(a.length, b.length);
  return Array.from({ length: nd }, (_, d) => {
    const x = a[d - nd + a.length] ?? 1;
    const y = b[d - nd + b.length] ?? 1;
    return x === 1 ? y : x;
  });
}

export const CASES: Record<string, (c: Check) => Promise<void>> = {};

for (const op of UNARY) {
  CASES[`unary ${op}`] = async (c) => {
    for (const n of SIZES) {
      const x = op === 'log' || op === 'sqrt' ? c.values(n, 0.01, 20) : c.values(n, -12, 12);
      if (n >= 3) x[0] = 0;
      const { gpu, cpu } = await c.both([x], [new Float32Array(n)], (k, [a, o]) => k.unary(op, a, o));
      c.close(`${op} n=${n}`, gpu[0], cpu[0], 2e-6, op === 'softplus' || op === 'exp' ? 1e-6 : 1e-7);
    }
  };
}

for (const op of BINARY) {
  CASES[`binary ${op} (broadcast)`] = async (c) => {
    for (const n of SIZES) {
      for (const [as, bs] of broadcastPairs(n)) {
        const shape = broadcastShape(as, bs);
        const pos = op === 'pow';
        const a = pos ? c.values(size(as), 0.1, 3) : c.values(size(as));
        const b = op === 'pow' ? c.values(size(bs), -3, 3) : c.values(size(bs));
        if (op === 'pow' && b.length > 2) {
          b[0] = 2;
          b[1] = -1;
        }
        if (['eq', 'ne', 'le', 'ge'].includes(op) && a.length > 1 && b.length > 1) a[1] = b[1];
        const { gpu, cpu } = await c.both([a, b], [new Float32Array(size(shape))], (k, [x, y, o]) =>
          k.binary(op, x, broadcastStrides(as, shape), y, broadcastStrides(bs, shape), o, shape),
        );
        c.close(`${op} [${as}]⊕[${bs}]`, gpu[0], cpu[0], op === 'pow' ? 1e-5 : 1e-6, 1e-7);
      }
    }
  };
}

CASES['binary pow (negative bases, zero, integer exponents)'] = async (c) => {
  const a = new Float32Array([-2, -2, -1.5, 0, 0, 0, 3, -3, 2, 0.5]);
  const b = new Float32Array([3, 2, 2, 2, 0, -1, 0.5, 0.5, 10, -3]);
  const { gpu, cpu } = await c.both([a, b], [new Float32Array(a.length)], (k, [x, y, o]) =>
    k.binary('pow', x, [1], y, [1], o, [a.length]),
  );
  c.close('pow special cases', gpu[0], cpu[0], 1e-6, 0);
};

CASES['binary maximum/minimum propagate NaN'] = async (c) => {
  const a = new Float32Array([Number.NaN, 1, 2]);
  const b = new Float32Array([1, Number.NaN, 3]);
  for (const op of ['maximum', 'minimum'] as const) {
    const { gpu, cpu } = await c.both([a, b], [new Float32Array(3)], (k, [x, y, o]) =>
      k.binary(op, x, [1], y, [1], o, [3]),
    );
    c.close(`${op} NaN`, gpu[0], cpu[0]);
  }
};

CASES['where (broadcast)'] = async (c) => {
  for (const n of SIZES) {
    const shape = [3, n];
    const cond = c.values(n).map((v) => (v > 0 ? 1 : 0));
    const a = c.values(3 * n);
    const b = c.values(1);
    const { gpu, cpu } = await c.both([cond, a, b], [new Float32Array(3 * n)], (k, [cc, x, y, o]) =>
      k.where(
        cc,
        broadcastStrides([n], shape),
        x,
        contiguousStrides(shape),
        y,
        broadcastStrides([], shape),
        o,
        shape,
      ),
    );
    c.close(`where n=${n}`, gpu[0], cpu[0], 0, 0);
  }
};

for (const op of ['sum', 'max', 'min'] as ReduceOp[]) {
  CASES[`reduce ${op}`] = async (c) => {
    for (const n of SIZES) {
      const cases: [number[], number[]][] = [
        [[n, 3], [0]],
        [[3, n], [1]],
        [[2, n, 3], [1]],
        [
          [2, n, 3],
          [0, 2],
        ],
        [
          [n, 3],
          [0, 1],
        ],
        [[4, n], [1]],
        [[n], [0]],
      ];
      for (const [shape, axes] of cases) {
        const outShape = shape.filter((_, d) => !axes.includes(d));
        const x = c.values(size(shape));
        const { gpu, cpu } = await c.both([x], [new Float32Array(size(outShape))], (k, [a, o]) =>
          k.reduce(op, a, shape, axes, o),
        );
        const count = size(shape) / Math.max(size(outShape), 1);
        c.close(
          `${op} [${shape}] axes [${axes}]`,
          gpu[0],
          cpu[0],
          1e-6 * Math.sqrt(count) * 4,
          1e-6 * Math.sqrt(count) * 3,
        );
      }
    }
  };
}

CASES['argReduce (max and min)'] = async (c) => {
  for (const n of SIZES) {
    for (const [shape, axis] of [
      [[n], 0],
      [[3, n], 1],
      [[n, 3], 0],
      [[2, n, 5], 1],
    ] as [number[], number][]) {
      for (const sign of [1, -1] as const) {
        const x = c.values(size(shape)).map((v) => Math.round(v * 4)); // ties: the first index wins
        const outShape = shape.filter((_, d) => d !== axis);
        const { gpu, cpu } = await c.both([x], [new Float32Array(size(outShape))], (k, [a, o]) =>
          k.argReduce(a, shape, axis, sign, o),
        );
        c.close(`argReduce ${sign} [${shape}] axis ${axis}`, gpu[0], cpu[0], 0, 0);
      }
    }
  }
};

CASES['matmul (transposes, batches, odd sizes)'] = async (c) => {
  const dims: [number, number, number][] = [
    [1, 1, 1],
    [3, 17, 129],
    [17, 3, 1000],
    [129, 129, 17],
    [1000, 3, 17],
    [65, 67, 64],
    [5, 1, 0],
  ];
  for (const [m, n, k] of dims) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const batch = m * n * k < 50_000 ? 2 : 1;
        const a = c.values(batch * m * k, -1, 1);
        const b = c.values(batch * k * n, -1, 1);
        const { gpu, cpu } = await c.both([a, b], [new Float32Array(batch * m * n)], (kk, [x, y, o]) =>
          kk.matmul(x, y, o, batch, m, n, k, tA, tB),
        );
        c.close(
          `matmul ${batch}×${m}×${n}×${k} tA=${tA} tB=${tB}`,
          gpu[0],
          cpu[0],
          1e-5,
          2e-6 * Math.sqrt(k + 1),
        );
      }
    }
  }
};

CASES['selu and seluGrad'] = async (c) => {
  for (const n of SIZES) {
    const x = c.values(n, -20, 20);
    if (n >= 3) x[1] = 0;
    const fwd = await c.both([x], [new Float32Array(n)], (k, [a, y]) => k.selu(a, y));
    c.close(`selu n=${n}`, fwd.gpu[0], fwd.cpu[0], 2e-6, 1e-7);
    const g = c.values(n);
    const y = fwd.cpu[0];
    const bwd = await c.both([g, y], [new Float32Array(n)], (k, [gg, yy, dx]) => k.seluGrad(gg, yy, dx));
    c.close(`seluGrad n=${n}`, bwd.gpu[0], bwd.cpu[0], 1e-6, 1e-7);
  }
};

CASES['copy (permute, expand, slice)'] = async (c) => {
  for (const n of SIZES) {
    const x = c.values(17 * n);
    const views: [string, number, number[], number[]][] = [
      ['transpose', 0, [n, 17], [1, n]],
      ['expand', 0, [4, 17 * n], [0, 1]],
      ['slice step 2', 1, [17, Math.floor((n - 1) / 2)], [n, 2]],
      ['reverse-free 3-d permute', 0, [n, 1, 17], [1, 0, n]],
    ];
    for (const [label, offset, shape, strides] of views) {
      const { gpu, cpu } = await c.both([x], [new Float32Array(size(shape))], (k, [a, o]) =>
        k.copy(a, offset, strides, o, shape),
      );
      c.close(`copy ${label} n=${n}`, gpu[0], cpu[0], 0, 0);
    }
  }
};

CASES['addStrided (slice adjoint)'] = async (c) => {
  for (const n of SIZES) {
    const cols = Math.ceil(n / 2);
    const src = c.values(3 * cols);
    const out = c.values(3 * n);
    const { gpu, cpu } = await c.both([src], [out], (k, [s, o]) => k.addStrided(s, [3, cols], o, 0, [n, 2]));
    c.close(`addStrided n=${n}`, gpu[0], cpu[0], 1e-7, 0);
  }
};

CASES['gather and scatter-add'] = async (c) => {
  for (const n of SIZES) {
    for (const [outer, len, idxLen, inner] of [
      [n, 10, 1, 1],
      [3, n, 5, 2],
      [2, 4, n, 3],
    ]) {
      const x = c.values(outer * len * inner);
      const index = new Float32Array(outer * idxLen * inner).map(() => c.rng.int(0, len));
      const g = await c.both([x, index], [new Float32Array(outer * idxLen * inner)], (k, [a, i, o]) =>
        k.gather(a, i, o, outer, len, idxLen, inner, false, 'gather'),
      );
      c.close(`gather ${outer}×${len}×${idxLen}×${inner}`, g.gpu[0], g.cpu[0], 0, 0);
      const src = c.values(outer * idxLen * inner);
      const s = await c.both([src, index], [new Float32Array(outer * len * inner)], (k, [a, i, o]) =>
        k.gather(a, i, o, outer, len, idxLen, inner, true, 'scatterAdd'),
      );
      c.close(`scatterAdd ${outer}×${len}×${idxLen}×${inner}`, s.gpu[0], s.cpu[0], 1e-6, 1e-6);
    }
  }
};

CASES['concat'] = async (c) => {
  for (const n of SIZES) {
    const lens = [1, n, 3];
    const [outer, inner] = [3, 2];
    const parts = lens.map((l) => c.values(outer * l * inner));
    const total = lens.reduce((a, b) => a + b, 0);
    const { gpu, cpu } = await c.both(parts, [new Float32Array(outer * total * inner)], (k, bufs) =>
      k.concat(bufs.slice(0, 3), lens, bufs[3], outer, inner),
    );
    c.close(`concat n=${n}`, gpu[0], cpu[0], 0, 0);
  }
};

CASES['cast, fill, arange'] = async (c) => {
  for (const n of SIZES) {
    const x = c.values(n);
    const cast = await c.both([x], [new Float32Array(n)], (k, [a, o]) => k.cast(a, o));
    c.close(`cast n=${n}`, cast.gpu[0], cast.cpu[0], 0, 0);
    for (const v of [0, -2.5, 1 / 3]) {
      const f = await c.both([], [c.values(n)], (k, [o]) => k.fill(o, v));
      c.close(`fill ${v} n=${n}`, f.gpu[0], f.cpu[0], 0, 0);
    }
    const r = await c.both([], [new Float32Array(n)], (k, [o]) => k.arange(o, -1.5, 0.1));
    c.close(`arange n=${n}`, r.gpu[0], r.cpu[0], 1e-6, 1e-6);
  }
};

CASES['axpy, sgdStep, adamStep'] = async (c) => {
  for (const n of SIZES) {
    const x = c.values(n);
    const y = c.values(n);
    const ax = await c.both([x], [y], (k, [a, o]) => k.axpy(-0.37, a, o));
    c.close(`axpy n=${n}`, ax.gpu[0], ax.cpu[0], 1e-6, 1e-7);
    for (const h of [
      { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, firstStep: true },
      { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0.01, nesterov: false, firstStep: true },
      { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: false, firstStep: true },
      { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0, nesterov: false, firstStep: false },
      { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0.001, nesterov: true, firstStep: false },
    ]) {
      const withBuf = h.momentum !== 0;
      const outs = withBuf ? [c.values(n), c.values(n)] : [c.values(n)];
      const r = await c.both([c.values(n)], outs, (k, [g, p, b]) => k.sgdStep(p, g, withBuf ? b : null, h));
      r.gpu.forEach((v, i) => {
        c.close(`sgdStep ${JSON.stringify(h)} out ${i} n=${n}`, v, r.cpu[i], 1e-6, 1e-6);
      });
    }
    for (const [decoupled, ams] of [
      [false, false],
      [true, false],
      [false, true],
    ]) {
      const h = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled, step: 3 };
      const v = c.values(n, 0, 1);
      const outs = [c.values(n), c.values(n, -0.1, 0.1), v, ...(ams ? [v.map((e) => e * 1.1)] : [])];
      const r = await c.both([c.values(n)], outs, (k, [g, p, m, vv, vm]) =>
        k.adamStep(p, g, m, vv, ams ? vm : null, h),
      );
      r.gpu.forEach((o, i) => {
        c.close(`adamStep decoupled=${decoupled} amsgrad=${ams} out ${i} n=${n}`, o, r.cpu[i], 1e-6, 1e-6);
      });
    }
  }
};

CASES['random (Philox: uniform exact, normal and int by statistics, seeded)'] = async (c) => {
  const n = 100_000;
  const dev = c.dev;
  const out = dev.allocate('float32', n, false);
  const seedRng = new Rng(7);
  const key = new Rng(7);
  dev.kernels.random(out, 'uniform', seedRng);
  const u = (await dev.read(out)) as Float32Array;
  const k0 = key.nextUint32();
  const k1 = key.nextUint32();
  const expected = new Float32Array(1000);
  for (let i = 0; i < 1000; i++) expected[i] = (philox2x32(i, k1, k0)[0] >>> 8) * 2 ** -24;
  c.close('uniform = host Philox', u.subarray(0, 1000), expected, 0, 0);
  let mean = 0;
  for (const v of u) mean += v / n;
  c.expect(Math.abs(mean - 0.5) < 0.005, `uniform mean ${mean}`);
  c.expect(
    u.every((v) => v >= 0 && v < 1),
    'uniform in [0, 1)',
  );
  dev.kernels.random(out, 'normal', new Rng(8));
  const z = (await dev.read(out)) as Float32Array;
  let zm = 0;
  let zv = 0;
  for (const v of z) zm += v / n;
  for (const v of z) zv += (v - zm) ** 2 / n;
  c.expect(Math.abs(zm) < 0.02 && Math.abs(zv - 1) < 0.02, `normal mean ${zm}, variance ${zv}`);
  dev.kernels.random(out, 'normal', new Rng(8));
  const z2 = (await dev.read(out)) as Float32Array;
  c.close('normal: one seed, the same values', z2, z, 0, 0);
  dev.kernels.random(out, 'int', new Rng(9), -3, 4);
  const ints = (await dev.read(out)) as Float32Array;
  const counts = new Map<number, number>();
  for (const v of ints) counts.set(v, (counts.get(v) ?? 0) + 1);
  c.expect(
    [...counts.keys()].sort((a, b) => a - b).join() === '-3,-2,-1,0,1,2,3',
    `int values ${[...counts.keys()]}`,
  );
  c.expect(
    [...counts.values()].every((k) => Math.abs(k / n - 1 / 7) < 0.01),
    'int frequencies ≈ 1/7',
  );
  dev.destroy(out);
};

CASES['device: float64 refused, readSync throws, pipelines cached, memory flat'] = async (c) => {
  const dev = c.dev;
  const threw = (f: () => unknown, re: RegExp) => {
    try {
      f();
      return false;
    } catch (e) {
      return re.test(String(e));
    }
  };
  c.expect(
    threw(() => dev.allocate('float64', 3, true), /float64 tensors stay on the CPU/),
    'allocate float64 throws',
  );
  c.expect(
    threw(() => dev.upload(new Float64Array(3)), /float64 tensors stay on the CPU/),
    'upload float64 throws',
  );
  const b = dev.upload(new Float32Array([1, 2, 3]));
  c.expect(
    threw(() => dev.readSync(b), /await t\.read\(\)/),
    'readSync names await t.read()',
  );
  dev.destroy(b);
  const x = dev.upload(c.values(4096));
  const step = () => {
    const y = dev.allocate('float32', 4096, false);
    dev.kernels.unary('exp', x, y);
    const z = dev.allocate('float32', 1, false);
    dev.kernels.reduce('sum', y, [4096], [0], z);
    dev.destroy(y);
    return z;
  };
  dev.destroy(step());
  await dev.sync();
  const before = dev.memoryStats();
  const pipelines = dev.runtime.pipelineCount;
  for (let i = 0; i < 1000; i++) dev.destroy(step());
  const last = step();
  const v = (await dev.read(last)) as Float32Array;
  dev.destroy(last);
  const after = dev.memoryStats();
  c.expect(Number.isFinite(v[0]), 'the loop computed a finite sum');
  c.expect(
    after.bytesCreated === before.bytesCreated,
    `1,000 steps created ${after.bytesCreated - before.bytesCreated} new bytes`,
  );
  c.expect(after.bytesInUse === before.bytesInUse, `bytes in use ${before.bytesInUse} → ${after.bytesInUse}`);
  c.expect(dev.runtime.pipelineCount === pipelines, 'no pipeline compiled twice');
  dev.destroy(x);
};

const CONV_GEOMETRIES = [
  // batch, inC, inH, inW, outC, k, stride, pad, dilation, groups
  [1, 1, 5, 5, 1, 3, 1, 1, 1, 1],
  [2, 3, 17, 13, 4, 3, 2, 1, 1, 1],
  [3, 4, 9, 11, 6, 3, 1, 2, 2, 2],
  [2, 2, 1, 129, 3, 1, 1, 0, 1, 1],
];

CASES['conv2d and its two adjoints (stride, padding, dilation, groups)'] = async (c) => {
  for (const [batch, inC, inH, inW, outC, k, s, p, d, groups] of CONV_GEOMETRIES) {
    const kH = inH === 1 ? 1 : k;
    const outH = Math.floor((inH + 2 * (inH === 1 ? 0 : p) - d * (kH - 1) - 1) / s) + 1;
    const outW = Math.floor((inW + 2 * p - d * (k - 1) - 1) / s) + 1;
    const g = {
      batch,
      inChannels: inC,
      inH,
      inW,
      outChannels: outC,
      kH,
      kW: k,
      outH,
      outW,
      strideH: s,
      strideW: s,
      padH: inH === 1 ? 0 : p,
      padW: p,
      dilationH: d,
      dilationW: d,
      groups,
    };
    const x = c.values(batch * inC * inH * inW);
    const w = c.values(outC * (inC / groups) * kH * k);
    const gy = c.values(batch * outC * outH * outW);
    const label = JSON.stringify(g);
    const fwd = await c.both([x, w], [new Float32Array(gy.length)], (kk, [a, b, o]) => kk.conv2d(a, b, o, g));
    c.close(`conv2d ${label}`, fwd.gpu[0], fwd.cpu[0], 1e-5, 1e-5);
    const bi = await c.both([gy, w], [new Float32Array(x.length)], (kk, [a, b, o]) =>
      kk.conv2dBackInput(a, b, o, g),
    );
    c.close(`conv2dBackInput ${label}`, bi.gpu[0], bi.cpu[0], 1e-5, 1e-5);
    const bw = await c.both([x, gy], [new Float32Array(w.length)], (kk, [a, b, o]) =>
      kk.conv2dBackWeight(a, b, o, g),
    );
    c.close(`conv2dBackWeight ${label}`, bw.gpu[0], bw.cpu[0], 1e-5, 1e-4);
  }
};

CASES['maxPool2d, avgPool2d and its adjoint'] = async (c) => {
  for (const [planes, inH, inW, k, s, p, d] of [
    [1, 1, 3, 1, 1, 0, 1],
    [3, 17, 17, 3, 2, 1, 1],
    [2, 9, 13, 2, 2, 0, 1],
    [4, 11, 7, 3, 1, 1, 2],
  ]) {
    const outH = Math.floor((inH + 2 * p - d * (k - 1) - 1) / s) + 1;
    const outW = Math.floor((inW + 2 * p - d * (k - 1) - 1) / s) + 1;
    const g = {
      planes,
      inH,
      inW,
      outH,
      outW,
      kH: k,
      kW: k,
      strideH: s,
      strideW: s,
      padH: p,
      padW: p,
      dilationH: d,
      dilationW: d,
    };
    const x = c.values(planes * inH * inW).map((v) => Math.round(v * 3)); // ties: the first maximal index
    const n = planes * outH * outW;
    const mp = await c.both([x], [new Float32Array(n), new Float32Array(n)], (kk, [a, o, am]) =>
      kk.maxPool2d(a, o, am, g),
    );
    c.close(`maxPool2d ${JSON.stringify(g)}`, mp.gpu[0], mp.cpu[0], 0, 0);
    c.close(`maxPool2d argmax ${JSON.stringify(g)}`, mp.gpu[1], mp.cpu[1], 0, 0);
    if (d !== 1) continue; // average pooling has no dilation
    for (const pad of [false, true]) {
      const ap = await c.both([x], [new Float32Array(n)], (kk, [a, o]) => kk.avgPool2d(a, o, g, pad));
      c.close(`avgPool2d pad=${pad} ${JSON.stringify(g)}`, ap.gpu[0], ap.cpu[0], 1e-6, 1e-6);
      const gy = c.values(n);
      const ab = await c.both([gy], [new Float32Array(x.length)], (kk, [a, o]) =>
        kk.avgPool2dBackward(a, o, g, pad),
      );
      c.close(`avgPool2dBackward pad=${pad} ${JSON.stringify(g)}`, ab.gpu[0], ab.cpu[0], 1e-6, 1e-6);
    }
  }
};

CASES['batchNorm and its backward (with and without weight and bias)'] = async (c) => {
  for (const [outer, channels, inner] of [
    [1, 1, 1],
    [3, 17, 1],
    [128, 3, 1],
    [2, 5, 129],
    [17, 2, 1000],
  ]) {
    const n = outer * channels * inner;
    for (const affine of [false, true]) {
      const x = c.values(n).map((v) => 2 * v + 1);
      const w = c.values(channels);
      const b = c.values(channels);
      const label = `${outer}×${channels}×${inner} affine=${affine}`;
      const inputs = affine ? [x, w, b] : [x];
      const fwd = await c.both(
        inputs,
        [new Float32Array(n), new Float32Array(channels), new Float32Array(channels)],
        (k, bufs) => {
          const [xb, wb, bb] = affine ? bufs : [bufs[0], null, null];
          const [out, mean, variance] = bufs.slice(inputs.length);
          k.batchNorm(xb, wb, bb, out, mean, variance, outer, channels, inner, 1e-5);
        },
      );
      fwd.gpu.forEach((o, i) => {
        c.close(`batchNorm ${label} out ${i}`, o, fwd.cpu[i], 2e-5, 2e-5);
      });
      const [, mean, variance] = fwd.cpu;
      const g = c.values(n);
      const bwdIn = affine ? [g, x, w, mean, variance] : [g, x, mean, variance];
      const bwdOut = affine
        ? [new Float32Array(n), new Float32Array(channels), new Float32Array(channels)]
        : [new Float32Array(n)];
      const bwd = await c.both(bwdIn, bwdOut, (k, bufs) => {
        if (affine) {
          const [gb, xb, wb, mb, vb, dx, dw, db] = bufs;
          k.batchNormBackward(gb, xb, wb, mb, vb, dx, dw, db, outer, channels, inner, 1e-5);
        } else {
          const [gb, xb, mb, vb, dx] = bufs;
          k.batchNormBackward(gb, xb, null, mb, vb, dx, null, null, outer, channels, inner, 1e-5);
        }
      });
      bwd.gpu.forEach((o, i) => {
        c.close(`batchNormBackward ${label} out ${i}`, o, bwd.cpu[i], 1e-4, 1e-4);
      });
    }
  }
};

CASES['the op table on the webgpu device (forward and gradients) vs the cpu device'] = opTable;

CASES['@selfnorm/nn unchanged on webgpu: Sequential(Linear, SELU), crossEntropy, SGD and Adam steps'] =
  nnForwardBackward;

Object.assign(CASES, TRAINING_CASES);
