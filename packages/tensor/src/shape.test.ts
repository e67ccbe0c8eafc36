import { describe, expect, it } from 'vitest';
import { add, softmax, sum, tensor, zeros } from './index';
import {
  broadcastShapes,
  broadcastStrides,
  broadcastsTo,
  checkShape,
  normalizeAxes,
  normalizeAxis,
  reducedAxesForBroadcast,
  reducedShape,
  shapesEqual,
  sizeOf,
  stridesOf,
} from './shape';

describe('broadcastShapes (NumPy rules)', () => {
  it('aligns from the right; size-1 and missing dimensions stretch', () => {
    expect(broadcastShapes([3, 1], [1, 4])).toEqual([3, 4]);
    expect(broadcastShapes([4], [2, 3, 4])).toEqual([2, 3, 4]);
    expect(broadcastShapes([5, 1, 4], [3, 1])).toEqual([5, 3, 4]);
    expect(broadcastShapes([], [2, 3])).toEqual([2, 3]);
    expect(broadcastShapes([2, 3], [])).toEqual([2, 3]);
    expect(broadcastShapes([], [])).toEqual([]);
    expect(broadcastShapes([0, 1], [1, 5])).toEqual([0, 5]); // a size-0 axis broadcasts against 1
  });

  it('an incompatible pair names the op, both shapes and the offending dimension', () => {
    expect(() => broadcastShapes([2, 3], [4], 'add')).toThrow(
      'add: shapes [2, 3] and [4] cannot be broadcast together (dimension 1 of the result: 3 vs 4; sizes must match or one must be 1)',
    );
    expect(() => broadcastShapes([0], [2])).toThrow(/^broadcast: shapes \[0\] and \[2\]/);
  });

  it('the ops raise the same error at the call', () => {
    expect(() => add(zeros([2, 3]), zeros([3, 2]))).toThrow(
      /^add: shapes \[2, 3\] and \[3, 2\] cannot be broadcast/,
    );
  });
});

describe('reducedAxesForBroadcast (un-broadcasting a gradient)', () => {
  it('lists the leading axes the broadcast added and the axes stretched from size 1', () => {
    expect(reducedAxesForBroadcast([4], [2, 3, 4])).toEqual([0, 1]);
    expect(reducedAxesForBroadcast([3, 1], [3, 4])).toEqual([1]);
    expect(reducedAxesForBroadcast([1, 4], [3, 4])).toEqual([0]);
    expect(reducedAxesForBroadcast([3, 1, 1], [2, 3, 4, 5])).toEqual([0, 2, 3]);
    expect(reducedAxesForBroadcast([], [2, 3])).toEqual([0, 1]);
    expect(reducedAxesForBroadcast([2, 3], [2, 3])).toEqual([]);
    expect(reducedAxesForBroadcast([1, 1], [1, 5])).toEqual([1]); // a 1 that stays 1 is not reduced
  });

  it('summing those axes (keepDims) gives back the input shape', () => {
    const from = [3, 1];
    const to = broadcastShapes(from, [2, 3, 4]);
    const g = sum(zeros(to), reducedAxesForBroadcast(from, to), { keepDims: true });
    expect(g.shape).toEqual([1, 3, 1]);
    expect(sizeOf(g.shape)).toBe(sizeOf(from));
  });
});

describe('broadcastsTo and broadcastStrides', () => {
  it('broadcastsTo follows the same rules, one way only', () => {
    expect(broadcastsTo([3, 1], [2, 3, 4])).toBe(true);
    expect(broadcastsTo([], [5])).toBe(true);
    expect(broadcastsTo([2, 3, 4], [3, 4])).toBe(false);
    expect(broadcastsTo([3], [3, 4])).toBe(false);
  });

  it('broadcastStrides reads stretched axes with stride 0', () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([2, 3], [2, 3])).toEqual([3, 1]);
    expect(broadcastStrides([1, 1], [1, 5])).toEqual([1, 0]);
  });
});

describe('normalizeAxis and normalizeAxes', () => {
  it('maps negative axes from the end', () => {
    expect(normalizeAxis(-1, 3, 'sum')).toBe(2);
    expect(normalizeAxis(-3, 3, 'sum')).toBe(0);
    expect(normalizeAxis(2, 3, 'sum')).toBe(2);
  });

  it('an axis out of range names the op, the axis, the rank and the valid range', () => {
    expect(() => normalizeAxis(3, 3, 'sum')).toThrow(
      'sum: axis 3 is out of range for a tensor of rank 3; valid axes: [-3, 2]',
    );
    expect(() => normalizeAxis(-4, 3, 'mean')).toThrow(
      /^mean: axis -4 is out of range for a tensor of rank 3/,
    );
    expect(() => normalizeAxis(0, 0, 'max')).toThrow(
      'max: axis 0 is out of range for a tensor of rank 0; valid axes: none (the tensor is a scalar)',
    );
    expect(() => normalizeAxis(1.5, 3, 'sum')).toThrow(/axis 1.5 is out of range/);
  });

  it('the ops raise it at the call', () => {
    expect(() => sum(zeros([2, 3]), 2)).toThrow(/^sum: axis 2 is out of range for a tensor of rank 2/);
    expect(() => softmax(tensor([1, 2]), -2)).toThrow(/axis -2 is out of range for a tensor of rank 1/);
  });

  it('normalizeAxes: all axes when omitted, sorted, duplicates rejected', () => {
    expect(normalizeAxes(undefined, 3, 'sum')).toEqual([0, 1, 2]);
    expect(normalizeAxes(null, 0, 'sum')).toEqual([]);
    expect(normalizeAxes([-1, 0], 3, 'sum')).toEqual([0, 2]);
    expect(normalizeAxes(1, 3, 'sum')).toEqual([1]);
    expect(() => normalizeAxes([0, -3], 3, 'sum')).toThrow('sum: axis [0,-3] repeats an axis');
  });
});

describe('shape arithmetic', () => {
  it('sizeOf, stridesOf, shapesEqual, reducedShape', () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([3, 0])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([1], [1, 1])).toBe(false);
    expect(reducedShape([2, 3, 4], [0, 2], false)).toEqual([3]);
    expect(reducedShape([2, 3, 4], [0, 2], true)).toEqual([1, 3, 1]);
  });

  it('checkShape accepts non-negative integer arrays and names the op otherwise', () => {
    expect(checkShape([2, 0], 'zeros')).toEqual([2, 0]);
    expect(() => checkShape([2, -1], 'zeros')).toThrow(
      'zeros: shape must be an array of non-negative integers, got [2,-1]',
    );
    expect(() => checkShape(3, 'ones')).toThrow(/^ones: shape must be an array/);
  });
});
