import { describe, expect, it } from 'vitest';
import type { BinaryOp } from '../../device/device';
import { Rng } from '../../random';
import { binaryRuns, sumKeepMiddle } from './broadcast';
import { mapBinary } from './reference/elementwise';
import { sumAxes } from './reference/reduce';

const F: Record<string, (p: number, q: number) => number> = {
  add: (p, q) => p + q,
  sub: (p, q) => p - q,
  mul: (p, q) => p * q,
  div: (p, q) => p / q,
};

/** Contiguous strides of `small` (its shape padded to `shape`'s rank), 0 where it broadcasts. */
function broadcastStrides(small: readonly number[], shape: readonly number[]): number[] {
  const padded = [...new Array<number>(shape.length - small.length).fill(1), ...small];
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 ? 0 : s;
    s *= padded[d];
  }
  return strides;
}

function random(rng: Rng, size: number, f64: boolean): Float32Array | Float64Array {
  const a = f64 ? new Float64Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++) a[i] = rng.normal();
  return a;
}

const contiguous = (shape: readonly number[]) => broadcastStrides(shape, shape);

describe('binaryRuns', () => {
  // A bias [C, 1, 1], a dropout mask [N, C, 1, 1], a mask [N, 1, 1, 1], a column [H, 1] (odd sizes).
  const CASES: Array<[number[], number[]]> = [
    [
      [3, 5, 4, 7],
      [5, 1, 1],
    ],
    [
      [3, 5, 4, 7],
      [3, 5, 1, 1],
    ],
    [
      [2, 3, 3, 3],
      [2, 1, 1, 1],
    ],
    [
      [6, 9, 11],
      [9, 1],
    ],
  ];
  for (const [shape, small] of CASES) {
    for (const op of ['add', 'sub', 'mul', 'div'] as BinaryOp[]) {
      for (const f64 of [false, true]) {
        it(`${op} of [${shape}] and [${small}] (${f64 ? 'float64' : 'float32'}), either side, is the reference to the bit`, () => {
          const rng = new Rng(7);
          const size = shape.reduce((p, q) => p * q, 1);
          const full = random(rng, size, f64);
          const part = random(
            rng,
            small.reduce((p, q) => p * q, 1),
            f64,
          );
          const fs = contiguous(shape);
          const ps = broadcastStrides(small, shape);
          for (const [a, as, b, bs] of [
            [full, fs, part, ps],
            [part, ps, full, fs],
          ] as const) {
            const got = f64 ? new Float64Array(size) : new Float32Array(size);
            const want = f64 ? new Float64Array(size) : new Float32Array(size);
            expect(binaryRuns(op, a, as, b, bs, got, shape)).toBe(true);
            mapBinary(a, as, b, bs, want, shape, F[op]);
            expect(Array.from(got)).toEqual(Array.from(want));
          }
        });
      }
    }
  }

  it('declines what it does not cover: other ops, short runs, two broadcast operands', () => {
    const shape = [2, 3, 4, 4];
    const full = new Float32Array(96);
    const bias = new Float32Array(3);
    const out = new Float32Array(96);
    const bs = broadcastStrides([3, 1, 1], shape);
    expect(binaryRuns('pow', full, contiguous(shape), bias, bs, out, shape)).toBe(false);
    expect(
      binaryRuns(
        'add',
        full,
        contiguous(shape),
        new Float32Array(3 * 4),
        broadcastStrides([3, 4, 1], shape),
        out,
        shape,
      ),
    ).toBe(false);
    expect(
      binaryRuns('add', bias, bs, new Float32Array(32), broadcastStrides([2, 1, 4, 4], shape), out, shape),
    ).toBe(false);
    expect(out.every((v) => v === 0)).toBe(true);
  });
});

describe('sumKeepMiddle', () => {
  const CASES: Array<[number[], number[]]> = [
    [
      [3, 5, 4, 7],
      [0, 2, 3],
    ], // a conv bias gradient
    [
      [3, 5, 4, 7],
      [0, 3],
    ],
    [
      [2, 3, 5, 4, 3],
      [0, 1, 4],
    ],
  ];
  for (const [shape, axes] of CASES) {
    for (const f64 of [false, true]) {
      it(`sums [${shape}] over axes [${axes}] (${f64 ? 'float64' : 'float32'}) as the reference, to the bit`, () => {
        const rng = new Rng(3);
        const x = random(
          rng,
          shape.reduce((p, q) => p * q, 1),
          f64,
        );
        const kept = shape.reduce((p, q, d) => (axes.includes(d) ? p : p * q), 1);
        const got = f64 ? new Float64Array(kept) : new Float32Array(kept);
        const want = f64 ? new Float64Array(kept) : new Float32Array(kept);
        expect(sumKeepMiddle(x, shape, axes, got)).toBe(true);
        sumAxes(x, shape, axes, want);
        expect(Array.from(got)).toEqual(Array.from(want));
      });
    }
  }

  it('declines leading-only, trailing-only, interleaved and empty axis sets', () => {
    const x = new Float32Array(24);
    const out = new Float32Array(24);
    for (const axes of [[0], [2], [], [1], [0, 1, 2]])
      expect(sumKeepMiddle(x, [2, 3, 4], axes, out)).toBe(false);
    expect(sumKeepMiddle(new Float32Array(2 * 3 * 4 * 5), [2, 3, 4, 5], [0, 2], new Float32Array(15))).toBe(
      false,
    );
  });
});
