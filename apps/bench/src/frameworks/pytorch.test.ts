import { describe, expect, it } from 'vitest';
import { MLP_SPECS, mlpData, normalData, SELU_SIZE } from '../workloads';
import { compareLosses, LOSS_TOLERANCE, pytorchFigures, pytorchJob } from './pytorch';

/** Byte-for-byte equality (fast on millions of elements, unlike a deep toEqual). */
const same = (a: Float32Array | Int32Array, b: Float32Array | Int32Array) =>
  a.constructor === b.constructor &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const timing = { quick: true, reps: 5, warmup: 1, warmupMs: 0, minMs: 0 };

/** The arrays of a job as pytorch-bench.py reads them back from stdin. */
function unpack({ job, stdin }: ReturnType<typeof pytorchJob>) {
  const out: Record<string, Float32Array | Int32Array> = {};
  let offset = 0;
  for (const a of job.arrays) {
    const bytes = stdin.subarray(offset, offset + 4 * a.length);
    const copy = new Uint8Array(bytes).buffer;
    out[a.name] = a.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    offset += 4 * a.length;
  }
  expect(offset).toBe(stdin.length);
  return out;
}

describe('pytorchJob (the data PyTorch gets; needs no torch)', () => {
  it('W2a: passes the very batch, labels and [out, in] weights that selfnorm trains on', () => {
    const job = pytorchJob('W2a', 1, timing);
    const data = mlpData(MLP_SPECS.W2a);
    const got = unpack(job);
    expect(job.job).toMatchObject({
      workload: 'W2a',
      threads: 1,
      reps: 5,
      sizes: data.sizes,
      batch: 128,
      lr: 0.01,
    });
    expect(job.job).toHaveProperty('label', 'train step 8×512');
    expect(same(got.x, data.x)).toBe(true);
    expect(same(got.labels, data.labels)).toBe(true);
    expect(same(got.labels, new Int32Array(128))).toBe(false);
    expect(Object.keys(got)).toHaveLength(2 + data.weights.length);
    for (const [i, w] of data.weights.entries()) expect(same(got[`w${i}`], w)).toBe(true);
  });
  it('W1 (--quick): the n = 256 operands and the three layouts; W3: x and g of 2^20 elements', () => {
    const w1 = unpack(pytorchJob('W1', 2, timing));
    expect(same(w1.a256, normalData(1, 256 * 256))).toBe(true);
    expect(same(w1.b256, normalData(2, 256 * 256))).toBe(true);
    const w3 = unpack(pytorchJob('W3', 2, timing));
    expect(same(w3.x, normalData(3, SELU_SIZE))).toBe(true);
    expect(same(w3.g, normalData(4, SELU_SIZE))).toBe(true);
  });
});

describe('pytorchFigures', () => {
  it('turns median ms into the units of the other columns', () => {
    const [w1] = pytorchFigures('pytorch', 'W1', { 'n=256 A·B': 0.5 });
    expect(w1).toMatchObject({
      label: 'n=256 A·B',
      unit: 'GFLOP/s',
      values: { pytorch: (2 * 256 ** 3) / 5e5 },
    });
    const [w2] = pytorchFigures('pytorch-1t', 'W2b', { 'train step 32×256': 16 });
    expect(w2).toMatchObject({ unit: 'samples/s', higherIsBetter: true, values: { 'pytorch-1t': 8000 } });
    const [w3] = pytorchFigures('pytorch-1t', 'W3', { 'SELU fwd+bwd 2^20': 2 ** 20 / 1e6 });
    expect(w3).toMatchObject({ unit: 'ns/element', higherIsBetter: false, values: { 'pytorch-1t': 1 } });
  });
  it('throws, naming the label, when a time is missing', () => {
    expect(() => pytorchFigures('pytorch', 'W3', {})).toThrow(
      /no time for "SELU fwd\+bwd 2\^20", got undefined/,
    );
  });
});

describe('compareLosses', () => {
  it(`agrees within ${LOSS_TOLERANCE} of max(1, |loss|) and not beyond`, () => {
    expect(compareLosses([2.8099763, 2.3165245], [2.8099763, 2.3165243])).toMatchObject({ agree: true });
    const off = compareLosses([2.81, 2.3166], [2.81, 2.3165]);
    expect(off.agree).toBe(false);
    expect(off.maxDiff).toBeCloseTo(1e-4 / 2.3165, 6);
  });
  it('rejects lists of different lengths', () => {
    expect(() => compareLosses([1], [1, 2])).toThrow(
      /compareLosses: expected two equally long lists, got 1 and 2/,
    );
  });
});
