/**
 * Arguments of the wrong type fail at the call, naming the function, the argument, what it received and
 * what it accepts (issue 11): before, each of these returned a silent wrong answer or a JavaScript error
 * from deep inside (`shape is not iterable`, `Invalid typed array length`, …).
 */
import { describe, expect, it } from 'vitest';
import * as T from './index';

const x = T.tensor([
  [1, 2, 3, 4, 5],
  [6, 7, 8, 9, 10],
]);
const never = <V>(v: V) => v as never;

describe('slice refuses anything but an array of specs', () => {
  it('slice(x, 0, 1, 4), x.slice(1, 4) and slice(m, 1) are errors, not the whole tensor', () => {
    const forms = /specs must be an array with one spec per leading axis.*\[start\?, end\?, step\?\]/;
    expect(() => (T.slice as (...a: unknown[]) => T.Tensor)(x, 0, 1, 4)).toThrow(forms);
    expect(() => (T.slice as (...a: unknown[]) => T.Tensor)(x, 0, 1, 4)).toThrow(/got the number 0$/);
    expect(() => (x.slice as (...a: unknown[]) => T.Tensor)(1, 4)).toThrow(forms);
    expect(() => T.slice(x, never(1))).toThrow(/slice: specs must be/);
    expect(() => T.slice(x, never('1:4'))).toThrow(/got the string "1:4"/);
    expect(() => T.slice(x, never([0, '1']))).toThrow(/slice: spec 1 must be an integer index, null or/);
    expect(() => T.slice(x, never([[0, 1, 2, 3]]))).toThrow(/slice: spec 0 must be/);
    expect(() => T.slice(x, never([{ start: 1 }]))).toThrow(/slice: spec 0 must be.*got an object/);
    expect(() => T.slice(never([[1, 2]]), [0])).toThrow(/slice: x must be a Tensor, got an array/);
  });
  it('the accepted forms still work, null entries included', () => {
    expect(
      T.slice(x, [
        [0, 1],
        [1, 4],
      ]).toArray(),
    ).toEqual([[2, 3, 4]]);
    expect(x.slice([null, [null, null, 2]]).toArray()).toEqual([
      [1, 3, 5],
      [6, 8, 10],
    ]);
    expect(T.slice(x, [1]).toArray()).toEqual([6, 7, 8, 9, 10]);
    expect(T.slice(x, []).toArray()).toEqual(x.toArray());
  });
});

describe('new Tensor(data, shape) takes non-negative safe integers only', () => {
  const data = new Float32Array(4);
  it.each([
    [[-2, -2], /got \[-2, -2\]/],
    [[2.5, 1.6], /got \[2.5, 1.6\]/],
    [['2', '2'], /got \["2", "2"\]/],
    [[4, Number.NaN], /got \[4, NaN\]/],
    [[2 ** 53, 0], /non-negative integers/],
    ['4', /got string/],
  ])('%j', (shape, message) => {
    expect(() => new T.Tensor(data, never(shape))).toThrow(
      /Tensor: shape must be an array of non-negative integers/,
    );
    expect(() => new T.Tensor(data, never(shape))).toThrow(message);
  });
  it('a valid shape still wraps the storage', () => {
    expect(new T.Tensor(data, [2, 2]).shape).toEqual([2, 2]);
    expect(new T.Tensor(new Float64Array(1), []).item()).toBe(0);
  });
});

describe('wrong option and flag types fail at the call', () => {
  it('full takes a number value only (NaN and ±∞ included)', () => {
    for (const v of ['abc', null, {}, true, undefined, [1]]) {
      expect(() => T.full([2], never(v))).toThrow(/full: value must be a number, got/);
    }
    expect(() => T.full([2], never('abc'))).toThrow('full: value must be a number, got the string "abc"');
    expect(Array.from(T.full([2], Number.NaN).data)).toEqual([Number.NaN, Number.NaN]);
    expect(Array.from(T.full([1], Number.NEGATIVE_INFINITY).data)).toEqual([Number.NEGATIVE_INFINITY]);
  });
  it('variance/std take a non-negative number correction', () => {
    const v = T.tensor([1, 2, 3, 4]);
    for (const c of ['x', null, -1, Number.NaN, Number.POSITIVE_INFINITY, true]) {
      expect(() => T.variance(v, 0, { correction: never(c) })).toThrow(
        /variance: options.correction must be a non-negative number/,
      );
    }
    expect(() => T.std(v, 0, { correction: never('x') })).toThrow(
      /std: options.correction .* got the string "x"/,
    );
    expect(T.variance(v, 0, { correction: 0 }).item()).toBeCloseTo(1.25, 6);
    expect(T.variance(v, 0, { correction: 0.5 }).item()).toBeCloseTo(5 / 3.5, 6);
  });
  it('reductions take a boolean keepDims', () => {
    expect(() => T.sum(x, 0, { keepDims: never('yes') })).toThrow(
      'sum: options.keepDims must be true or false, got the string "yes"',
    );
    expect(() => T.mean(x, 0, never(true))).toThrow(
      /mean: options must be an object such as \{ keepDims: true \}/,
    );
    expect(() => T.max(x, 1, { keepDims: never(1) })).toThrow(/max: options.keepDims must be true or false/);
    expect(() => T.argmax(x, 1, { keepDims: never(1) })).toThrow(/argmax: options.keepDims/);
    expect(T.sum(x, 1, { keepDims: true }).shape).toEqual([2, 1]);
  });
  it('matmulT takes boolean transpose flags', () => {
    const a = T.ones([2, 3]);
    const b = T.ones([2, 3]);
    expect(() => T.matmulT(a, b, never('false'))).toThrow(
      'matmulT: transA must be true or false, got the string "false"',
    );
    expect(() => T.matmulT(a, b, false, never(1))).toThrow(
      /matmulT: transB must be true or false, got the number 1/,
    );
    expect(T.matmulT(a, b, false, true).shape).toEqual([2, 2]);
  });
  it('linear takes a Tensor, null or undefined bias (NaN was silently "no bias")', () => {
    const w = T.ones([4, 5]);
    expect(() => T.linear(x, w, never(Number.NaN))).toThrow(
      'linear: bias must be a Tensor, null or undefined (no bias), got the number NaN',
    );
    expect(() => T.linear(x, w, never(0))).toThrow(/linear: bias must be/);
    expect(() => T.linear(x, w, never([1, 2, 3, 4]))).toThrow(
      /linear: bias must be .* got an array \[1, 2, 3, 4\]/,
    );
    expect(T.linear(x, w, null).shape).toEqual([2, 4]);
  });
  it("grad's argnums is a non-negative integer or a non-empty array of distinct ones", () => {
    const f = (a: T.Tensor) => a.sum();
    for (const argnums of ['0', ['0'], -1, 0.5, [], [0, 0], null]) {
      expect(() => T.grad(f, { argnums: never(argnums) })).toThrow(
        /grad: options.argnums must be a non-negative integer/,
      );
    }
    expect(() => T.grad(f, { argnums: never('0') })).toThrow(/got the string "0"/);
    expect(() => T.grad(f)(never([1, 2]))).toThrow(
      /grad: argument 0 must be a Tensor, got an array \[1, 2\]/,
    );
    expect(Array.from(T.grad(f, { argnums: 0 })(T.ones([2])).data)).toEqual([1, 1]);
  });
  it('elu takes a number alpha; clamp names its bound', () => {
    expect(() => T.elu(x, never('1'))).toThrow('elu: alpha must be a number, got the string "1"');
    expect(() => T.clamp(x, never('0'))).toThrow(
      'clamp: min must be a Tensor or a number, got the string "0"',
    );
    expect(() => T.clamp(x, 0, never({}))).toThrow(
      /clamp: max must be a Tensor or a number, got an object \{\}/,
    );
  });
});

describe('non-tensor arguments name the function and the argument (no "shape is not iterable")', () => {
  const bad = [[1, 2]];
  const cases: Array<[string, () => unknown, string]> = [
    [
      'exp',
      () => T.exp(never(bad)),
      'exp: x must be a Tensor, got an array [[1, 2]] (wrap data with tensor(...))',
    ],
    ['sigmoid', () => T.sigmoid(never(3)), 'sigmoid: x must be a Tensor, got the number 3'],
    ['softplus', () => T.softplus(never(undefined)), 'softplus: x must be a Tensor, got undefined'],
    ['selu', () => T.selu(never(null)), 'selu: x must be a Tensor, got null'],
    ['relu', () => T.relu(never(bad)), 'relu: x must be a Tensor'],
    ['square', () => T.square(never('x')), 'square: x must be a Tensor, got the string "x"'],
    ['sum', () => T.sum(never(bad)), 'sum: x must be a Tensor'],
    ['mean', () => T.mean(never(bad), 0), 'mean: x must be a Tensor'],
    ['max', () => T.max(never(bad)), 'max: x must be a Tensor'],
    ['argmin', () => T.argmin(never(bad)), 'argmin: x must be a Tensor'],
    ['variance', () => T.variance(never(bad)), 'variance: x must be a Tensor'],
    ['softmax', () => T.softmax(never(bad)), 'softmax: x must be a Tensor'],
    ['logSoftmax', () => T.logSoftmax(never(bad)), 'logSoftmax: x must be a Tensor'],
    ['reshape', () => T.reshape(never(bad), [2]), 'reshape: x must be a Tensor'],
    ['permute', () => T.permute(never(bad), [1, 0]), 'permute: x must be a Tensor'],
    ['expand', () => T.expand(never(bad), [2, 2]), 'expand: x must be a Tensor'],
    ['cast', () => T.cast(never(bad), 'float64'), 'cast: x must be a Tensor'],
    ['flatten', () => T.flatten(never(bad)), 'flatten: x must be a Tensor'],
    ['squeeze', () => T.squeeze(never(bad)), 'squeeze: x must be a Tensor'],
    ['unsqueeze', () => T.unsqueeze(never(bad), 0), 'unsqueeze: x must be a Tensor'],
    ['transpose', () => T.transpose(never(bad)), 'transpose: x must be a Tensor'],
    ['narrow', () => T.narrow(never(bad), 0, 0, 1), 'narrow: x must be a Tensor'],
    ['split', () => T.split(never(bad), 1), 'split: x must be a Tensor'],
    ['stack', () => T.stack([x, never(bad)]), 'stack: tensors[1] must be a Tensor'],
    ['concat', () => T.concat([x, never(5)]), 'concat: tensors[1] must be a Tensor, got the number 5'],
    ['gather', () => T.gather(x, 1, never([[0]])), 'gather: index must be a Tensor'],
    ['oneHot', () => T.oneHot(never([0, 1]), 3), 'oneHot: indices must be a Tensor'],
    ['matmul', () => T.matmul(x, never(bad)), 'matmul: b must be a Tensor'],
    ['matmulT', () => T.matmulT(never(bad), x), 'matmulT: a must be a Tensor'],
    ['linear', () => T.linear(never(bad), x), 'linear: x must be a Tensor'],
    [
      'add',
      () => T.add(x, never('1')),
      'add: the second operand must be a Tensor or a number, got the string "1"',
    ],
    [
      'mul',
      () => T.mul(never([1]), x),
      'mul: the first operand must be a Tensor or a number, got an array [1]',
    ],
    [
      'split sizes',
      () => T.split(x, never('2'), 1),
      'split: sizesOrCount must be a number of equal pieces or an array',
    ],
    [
      'sum axis',
      () => T.sum(x, never('1')),
      'sum: axis must be an integer, an array of integers, or undefined',
    ],
    [
      'argmax axis',
      () => T.argmax(x, never('1')),
      'argmax: axis must be an integer (valid axes: [-2, 1]), got the string "1"',
    ],
    ['unsqueeze axis', () => T.unsqueeze(x, never('0')), 'unsqueeze: axis must be an integer'],
    [
      'squeeze axis',
      () => T.squeeze(x, never('0')),
      'squeeze: axis must be an integer or an array of integers',
    ],
    [
      'stack of a tensor',
      () => T.stack(never(x)),
      'stack: tensors must be an array of Tensors, got a Tensor(shape [2, 5]',
    ],
    ['concat of a tensor', () => T.concat(never(x)), 'concat: tensors must be an array of Tensors'],
    ['zerosLike', () => T.zerosLike(never(5)), 'zerosLike: t must be a Tensor, got the number 5'],
    ['onesLike', () => T.onesLike(never([1])), 'onesLike: t must be a Tensor'],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => {
      expect(fn).toThrow(TypeError);
      expect(fn).toThrow(message);
    });
  }
  it('a huge or nested value is cut to about 100 characters in the message', () => {
    const long = Array.from({ length: 100000 }, (_, i) => i);
    let deep: unknown = 0;
    for (let i = 0; i < 100000; i++) deep = [deep];
    for (const v of [long, deep, 'y'.repeat(1e6)]) {
      let message = '';
      try {
        T.exp(never(v));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^exp: x must be a Tensor, got /);
      expect(message.length).toBeLessThan(200);
    }
  });
});

describe('shape and axis messages stay short for hostile values', () => {
  it('a huge or deeply nested shape or axis is cut', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100000; i++) deep = [deep];
    const huge = Array.from({ length: 1e6 }, () => -1);
    for (const v of [deep, huge, ['x'.repeat(1e6)]]) {
      for (const fn of [() => T.zeros(never(v)), () => T.sum(x, never({ v }))]) {
        let message = '';
        try {
          fn();
        } catch (e) {
          message = (e as Error).message;
        }
        expect(message).toMatch(/^(zeros: shape must be|sum: axis must be)/);
        expect(message.length).toBeLessThan(300);
      }
    }
    expect(() => T.zeros(never([2, Number.NaN]))).toThrow(
      'zeros: shape must be an array of non-negative integers, got [2,NaN]',
    );
  });
});

describe('too-large sizes name the op and the shape (no "Invalid typed array length")', () => {
  it.each([
    ['zeros', () => T.zeros([1e6, 1e6])],
    ['full', () => T.full([2 ** 32], 1)],
    ['randn', () => T.randn([1e5, 1e5], { rng: new T.Rng(0) })],
    ['arange', () => T.arange(1e10)],
    ['expand', () => T.expand(T.ones([1]), [1e5, 1e5])],
    ['oneHot', () => T.oneHot(T.zeros([1e5]), 1e5)],
  ])('%s', (op, fn) => {
    expect(fn).toThrow(RangeError);
    expect(fn).toThrow(
      new RegExp(`^${op}: shape \\[.*\\] has \\d+ elements, more than the 4294967295 a tensor can hold`),
    );
  });
});

describe('useCpuWorkers checks its workers', () => {
  it('useCpuWorkers(5) names the argument and what it accepts', async () => {
    await expect(T.useCpuWorkers(never(5))).rejects.toThrow(
      'useCpuWorkers: workers must be an array of workers started from cpuWorkerSource ([] for one thread), got the number 5',
    );
    await expect(T.useCpuWorkers(never([{}]))).rejects.toThrow(/workers\[0\] is not a worker/);
  });
});

describe('describeValue', () => {
  it('says what a value is, briefly', () => {
    expect(T.describeValue(x)).toBe('a Tensor(shape [2, 5], float32)');
    expect(T.describeValue(new Float64Array(3))).toBe('a Float64Array(3)');
    expect(T.describeValue({ a: 1 })).toBe('an object {a: 1}');
    expect(T.describeValue(new Map())).toBe('a Map {}');
    expect(T.describeValue(() => 0)).toBe('a function');
    expect(T.describeValue(true)).toBe('the boolean true');
  });
});
