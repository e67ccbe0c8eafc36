import { Rng, type Tensor, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d } from './layers/batch-norm';
import { Linear } from './layers/linear';
import { Sequential } from './layers/sequential';
import { Module } from './module';
import { SGD } from './optim/sgd';
import { loadCheckpoint, saveCheckpoint } from './serialize/checkpoint';
import { messageOf } from './testing/message-of';

const net = (seed = 0) => {
  const rng = new Rng(seed);
  return new Sequential(new Linear(2, 3, { rng }), new BatchNorm1d(3), new Linear(3, 1, { rng }));
};

describe('Module.loadStateDict is all or nothing (issue 11)', () => {
  it('with one disposed source tensor, writes no parameter at all', () => {
    const model = net(1);
    const before = model.stateDict();
    const sd = net(2).stateDict();
    sd['2.bias'].dispose(); // the last key: the old code had written every other parameter by then
    const message = messageOf(() => model.loadStateDict(sd));
    expect(message).toMatch(/Sequential.loadStateDict: nothing was loaded because '2.bias' was disposed/);
    expect(model.stateDict()).toEqual(before);
  });

  it('refuses non-finite parameter values and float64 values that overflow float32, loading nothing', () => {
    const model = net(3);
    const before = model.stateDict();
    const sd = net(4).stateDict();
    sd['0.bias'] = tensor([0, Number.NaN, 0]);
    sd['2.weight'] = tensor([[1, 1e300, 1]], { dtype: 'float64' });
    const message = messageOf(() => model.loadStateDict(sd));
    expect(message).toMatch(/'0.bias' holds a non-finite value \(NaN at index 1\)/);
    expect(message).toMatch(
      /'2.weight' holds 1e\+300 at index 1, beyond the float32 range of the model's tensor/,
    );
    expect(model.stateDict()).toEqual(before);
  });

  it('refuses a source that is not a tensor, and a non-object argument', () => {
    const model = net(5);
    const sd: Record<string, unknown> = net(6).stateDict();
    sd['0.weight'] = [[1, 2]];
    expect(() => model.loadStateDict(sd as Record<string, Tensor>)).toThrow(/'0.weight' is not a Tensor/);
    expect(() => model.loadStateDict(null as never)).toThrow(
      /Sequential.loadStateDict: expected an object of tensors by name/,
    );
  });

  it('suggests { strict: false } only for missing or unexpected keys, never for shapes', () => {
    const model = net(7);
    const sd = net(8).stateDict();
    sd['0.weight'] = tensor([[1, 2, 3]]);
    expect(messageOf(() => model.loadStateDict(sd))).not.toMatch(/strict/);
    const fewer = net(8).stateDict();
    delete fewer['0.weight'];
    expect(messageOf(() => model.loadStateDict(fewer))).toMatch(/pass \{ strict: false \} to ignore missing/);
  });
});

describe('frozen parameters stay parameters (issue 11)', () => {
  it('a weight frozen with requiresGrad = false stays in parameters(), stateDict() and checkpoints', () => {
    const model = net(9);
    const names = model.namedParameters().map(([n]) => n);
    const layer = model.layers[0] as Linear;
    layer.weight.requiresGrad = false;
    expect(model.namedParameters().map(([n]) => n)).toEqual(names);
    expect(Object.keys(model.stateDict())).toContain('0.weight');
    const other = net(10);
    (other.layers[0] as Linear).weight.requiresGrad = false;
    loadCheckpoint(saveCheckpoint({ model }), { model: other });
    expect((other.layers[0] as Linear).weight.toArray()).toEqual(layer.weight.toArray());
  });

  it('even when frozen before the module ever listed its parameters', () => {
    const layer = new Linear(2, 2, { rng: new Rng(11) });
    layer.weight.requiresGrad = false;
    const bn = new BatchNorm1d(2);
    bn.weight!.requiresGrad = false;
    expect(layer.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(Object.keys(bn.stateDict())).toContain('weight');
  });

  it('registerParameter declares a tensor that starts frozen; an optimizer skips it (no grad)', () => {
    class Scaled extends Module {
      scale: Tensor;
      gain: Tensor;
      constructor() {
        super();
        this.scale = tensor([2]); // a constant, not a parameter
        this.gain = tensor([3]);
        this.registerParameter('gain', this.gain); // frozen from the start, but part of the state
      }
      forward(x: Tensor): Tensor {
        return x.mul(this.scale).mul(this.gain);
      }
    }
    const m = new Scaled();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['gain']);
    expect(Object.keys(m.stateDict())).toEqual(['gain']);
    const opt = new SGD(m.parameters(), { lr: 0.1 });
    m.forward(tensor([1])).sum(); // nothing requires grad: no grad anywhere
    opt.step();
    expect(m.gain.toArray()).toEqual([3]);
  });

  it('refuses to register what cannot be a parameter, and a non-leaf later assigned to a parameter', () => {
    class Bad extends Module {
      w = tensor([1], { requiresGrad: true });
      forward(x: Tensor): Tensor {
        return x;
      }
      register(name: string, value: unknown) {
        this.registerParameter(name, value as Tensor);
      }
    }
    const m = new Bad();
    expect(() => m.register('v', [1])).toThrow(
      /registerParameter\('v'\): expected a Tensor or null, got \[1\]/,
    );
    expect(() => m.register('a.b', tensor([1]))).toThrow(
      /registerParameter\('a.b'\): a name cannot contain '.'/,
    );
    expect(() => m.register('v', m.w.mul(2))).toThrow(/registerParameter\('v'\): expected a leaf tensor/);
    m.parameters();
    m.w = m.w.mul(2);
    expect(() => m.parameters()).toThrow(/Bad: parameter 'w' holds the output of mul, not a leaf tensor/);
  });
});
