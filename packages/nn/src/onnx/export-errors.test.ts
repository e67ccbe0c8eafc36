import { Rng, type Tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from '../layers/activations';
import { BatchNorm1d } from '../layers/batch-norm';
import { Flatten } from '../layers/flatten';
import { Linear } from '../layers/linear';
import { SELU } from '../layers/selu';
import { Sequential } from '../layers/sequential';
import { Module } from '../module';
import { type ExportOnnxOptions, exportOnnx } from './export';
import { expectOnnxMatches } from './ort-check';

const rng = new Rng(3);

class MyLayer extends Module {
  forward(x: Tensor): Tensor {
    return x.mul(2);
  }
}

/** A model that keeps its layers in an array field, as apps/train's Mlp does: paths `layers.0`, `layers.1`, … */
class Stack extends Module {
  constructor(readonly layers: Module[]) {
    super();
  }
  forward(x: Tensor): Tensor {
    for (const l of this.layers) x = l.forward(x);
    return x;
  }
}

describe('exportOnnx: a module it cannot export is an error naming the module and its path', () => {
  it('an unknown layer: layers.3 (MyLayer)', () => {
    const model = new Stack([
      new Linear(4, 4, { rng }),
      new SELU(),
      new Linear(4, 4, { rng }),
      new MyLayer(),
    ]);
    expect(() => exportOnnx(model, { inputShape: [1, 4] })).toThrow(
      /^exportOnnx: cannot export layers\.3 \(MyLayer\): it is none of the layers exportOnnx knows \(Linear, SELU, ReLU/,
    );
  });

  it('an unknown layer in the middle of a Sequential, and one that is the whole model', () => {
    const inner = new Sequential(new Linear(4, 4, { rng }), new MyLayer(), new ReLU());
    expect(() => exportOnnx(new Sequential(new SELU(), inner), { inputShape: [1, 4] })).toThrow(
      'cannot export 1.1 (MyLayer)',
    );
    expect(() => exportOnnx(new MyLayer(), { inputShape: [1, 4] })).toThrow(
      'cannot export the model (MyLayer)',
    );
  });

  it('a subclass of a known layer that overrides forward is not exported as that layer', () => {
    class ScaledLinear extends Linear {
      override forward(x: Tensor): Tensor {
        return super.forward(x).mul(3);
      }
    }
    expect(() => exportOnnx(new Sequential(new ScaledLinear(4, 2, { rng })), { inputShape: [1, 4] })).toThrow(
      'cannot export 0 (ScaledLinear)',
    );
  });

  it('a subclass that keeps forward is exported as its base layer', async () => {
    class NamedLinear extends Linear {
      readonly label = 'head';
    }
    await expectOnnxMatches(new Sequential(new NamedLinear(4, 2, { rng })), { inputShape: [1, 4] }, { rng });
  });

  it('a residual sum or a tensor op between layers names the module whose forward does it', () => {
    class Residual extends Module {
      body = new Linear(4, 4, { rng });
      forward(x: Tensor): Tensor {
        return x.add(this.body.forward(x));
      }
    }
    expect(() => exportOnnx(new Sequential(new ReLU(), new Residual()), { inputShape: [1, 4] })).toThrow(
      'cannot export 1 (Residual)',
    );
    class Scaled extends Module {
      a = new Linear(4, 4, { rng });
      b = new Linear(4, 4, { rng });
      forward(x: Tensor): Tensor {
        return this.b.forward(this.a.forward(x).mul(0.5));
      }
    }
    expect(() => exportOnnx(new Scaled(), { inputShape: [1, 4] })).toThrow(
      'cannot export the model (Scaled)',
    );
    class Branch extends Module {
      a = new Linear(4, 4, { rng });
      b = new Linear(4, 4, { rng });
      forward(x: Tensor): Tensor {
        this.a.forward(x);
        return this.b.forward(x); // b does not take a's output: not a chain
      }
    }
    expect(() => exportOnnx(new Branch(), { inputShape: [1, 4] })).toThrow(
      'cannot export the model (Branch)',
    );
  });

  it('a layer called with two tensors', () => {
    class Pair extends Module {
      a = new Linear(4, 4, { rng });
      forward(x: Tensor): Tensor {
        return (this.a.forward as (...xs: Tensor[]) => Tensor)(x, x);
      }
    }
    expect(() => exportOnnx(new Pair(), { inputShape: [1, 4] })).toThrow(
      'exportOnnx: cannot export a (Linear): its forward is called with 2 argument(s); exportOnnx exports modules that take one tensor',
    );
  });

  it('BatchNorm1d without running statistics', () => {
    const model = new Sequential(new Linear(4, 4, { rng }), new BatchNorm1d(4, { trackRunningStats: false }));
    expect(() => exportOnnx(model, { inputShape: [1, 4] })).toThrow(
      'exportOnnx: cannot export 1 (BatchNorm1d): BatchNorm1d with trackRunningStats: false normalizes with the batch statistics',
    );
  });

  it('a model whose output does not keep the batch dimension, unless dynamicBatch is false', async () => {
    const model = new Sequential(new Flatten({ startDim: 0 }));
    expect(() => exportOnnx(model, { inputShape: [2, 3] })).toThrow(
      "exportOnnx: the model's output does not keep the batch dimension (input [2,3] gives [6], a batch of 3 gives [9]); pass dynamicBatch: false",
    );
    await expectOnnxMatches(model, { inputShape: [2, 3], dynamicBatch: false }, { rng, batches: [2] });
  });

  it('a model that takes only one batch size, unless dynamicBatch is false', async () => {
    class FixedBatch extends Module {
      forward(x: Tensor): Tensor {
        if (x.shape[0] !== 2) throw new RangeError(`FixedBatch: expected a batch of 2, got ${x.shape[0]}`);
        return x;
      }
    }
    expect(() => exportOnnx(new FixedBatch(), { inputShape: [2, 3] })).toThrow(
      "exportOnnx: the model's eval-mode forward fails on an input of shape [3,3] (a batch one larger than options.inputShape, to check the batch dimension; pass dynamicBatch: false for a fixed batch): FixedBatch: expected a batch of 2, got 3",
    );
    // Its forward returns its input itself (checks aside): an empty chain, exported as Identity.
    await expectOnnxMatches(
      new FixedBatch(),
      { inputShape: [2, 3], dynamicBatch: false },
      { rng, batches: [2] },
    );
  });

  it('an inputShape the model cannot take', () => {
    expect(() => exportOnnx(new Linear(4, 2, { rng }), { inputShape: [1, 5] })).toThrow(
      "exportOnnx: the model's eval-mode forward fails on an input of shape [1,5] (options.inputShape): Linear(4, 2): expected input [..., 4], got [1,5]",
    );
  });
});

describe('exportOnnx: options are checked at the call', () => {
  const model = new Linear(4, 2, { rng });
  const bad: [string, unknown, string][] = [
    ['no options', undefined, 'exportOnnx: options must be an object with inputShape, got undefined'],
    ['no inputShape', {}, 'exportOnnx: options.inputShape must be a non-empty array of positive integers'],
    ['an empty inputShape', { inputShape: [] }, 'got []'],
    ['a fractional size', { inputShape: [1, 2.5] }, 'got [1,2.5]'],
    ['a string size', { inputShape: ['1', 4] }, 'got ["1",4]'],
    [
      'an unknown option',
      { inputShape: [1, 4], dynamicbatch: false },
      "exportOnnx: unknown option 'dynamicbatch'",
    ],
    [
      'an empty name',
      { inputShape: [1, 4], inputName: '' },
      "options.inputName must be a non-empty string, got ''",
    ],
    ['equal names', { inputShape: [1, 4], inputName: 'x', outputName: 'x' }, "are both 'x'"],
    [
      'an old opset',
      { inputShape: [1, 4], opset: 12 },
      'exportOnnx: options.opset must be an integer from 13 to 23, got 12',
    ],
    ['a string opset', { inputShape: [1, 4], opset: '17' }, "got '17'"],
    [
      'a non-boolean dynamicBatch',
      { inputShape: [1, 4], dynamicBatch: 1 },
      'options.dynamicBatch must be true or false, got 1',
    ],
  ];
  for (const [name, options, message] of bad) {
    it(name, () => {
      expect(() => exportOnnx(model, options as ExportOnnxOptions)).toThrow(message);
    });
  }

  it('a long value is cut in the message', () => {
    const inputShape = Array(500).fill(-1);
    expect(() => exportOnnx(model, { inputShape })).toThrow(/got \[-1,-1,.{80,95}\.\.\.$/);
  });

  it('a model that is not a Module', () => {
    expect(() =>
      exportOnnx({ forward: (x: Tensor) => x } as unknown as Module, { inputShape: [1, 4] }),
    ).toThrow('exportOnnx: model must be a Module, got {}');
  });
});
