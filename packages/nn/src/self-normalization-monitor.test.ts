import { Rng, randn, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { heNormal } from './init';
import { ReLU } from './layers/activations';
import { Linear } from './layers/linear';
import { SELU } from './layers/selu';
import { Sequential } from './layers/sequential';
import { SelfNormalizationMonitor } from './self-normalization-monitor';

function deep(depth: number, width: number, activation: 'selu' | 'relu', rng: Rng): Sequential {
  const layers = [];
  for (let i = 0; i < depth; i++) {
    layers.push(
      activation === 'selu'
        ? new Linear(width, width, { rng })
        : new Linear(width, width, { rng, init: heNormal({ rng }) }),
    );
    layers.push(activation === 'selu' ? new SELU() : new ReLU());
  }
  return new Sequential(...layers);
}

describe('SelfNormalizationMonitor', () => {
  it('sees a deep SNN stay at (0, 1) through every layer, and a ReLU network leave the band', () => {
    const rng = new Rng(1);
    const x = randn([256, 256], { rng });
    const snn = deep(16, 256, 'selu', rng);
    const monitor = new SelfNormalizationMonitor(snn);
    snn.forward(x);
    snn.forward(randn([256, 256], { rng }));
    const layers = monitor.layers();
    expect(layers.map((l) => l.name)).toEqual(Array.from({ length: 16 }, (_, i) => String(2 * i + 1)));
    for (const l of layers) {
      expect(l.type).toBe('SELU');
      expect(l.batches).toBe(2);
      expect(Math.abs(l.mean)).toBeLessThan(0.1);
      expect(l.variance).toBeGreaterThan(0.8);
      expect(l.variance).toBeLessThan(1.2);
      expect(l.saturated).toBeGreaterThan(0);
      expect(l.saturated).toBeLessThan(0.01);
      expect(l.outOfBand).toBe(false);
    }
    expect(monitor.flagged()).toEqual([]);

    const relu = deep(16, 256, 'relu', rng);
    const reluMonitor = new SelfNormalizationMonitor(relu);
    relu.forward(x);
    const flagged = reluMonitor.flagged();
    expect(flagged.length).toBe(16); // ReLU's output mean is ≈ 0.56·σ, far from 0
    expect(flagged[0].saturated).toBeNull();
  });

  it('computes mean, population variance and the saturated fraction exactly', () => {
    const act = new SELU();
    const model = new Sequential(act);
    const monitor = new SelfNormalizationMonitor(model);
    const x = tensor([[-5, -4, 0, 1]], { dtype: 'float64' });
    const y = model.forward(x).toArray() as number[][];
    const [l] = monitor.layers();
    const values = y[0];
    const mean = values.reduce((a, b) => a + b, 0) / 4;
    expect(l.mean).toBeCloseTo(mean, 14);
    expect(l.variance).toBeCloseTo(values.reduce((a, b) => a + (b - mean) ** 2, 0) / 4, 13);
    expect(l.saturated).toBe(0.5); // −5 and −4 are below −3
    expect(l.last.mean).toBeCloseTo(mean, 14);
    monitor.reset();
    expect(monitor.layers()[0].batches).toBe(0);
    expect(Number.isNaN(monitor.layers()[0].mean)).toBe(true);
  });

  it('gives each Linear layer its ω = Σw and τ = Σw² per unit', () => {
    const lin = new Linear(2, 2, { rng: new Rng(0), bias: false });
    lin.weight.data.set([0.5, -0.5, 1, 2]);
    const monitor = new SelfNormalizationMonitor(new Sequential(lin, new SELU()));
    const [w] = monitor.weights();
    expect(w).toEqual({
      name: '0',
      fanIn: 2,
      omega: { mean: 1.5, min: 0, max: 3 },
      tau: { mean: 0.25 + 2.5, min: 0.5, max: 5 },
    });
    const wide = new SelfNormalizationMonitor(deep(1, 2000, 'selu', new Rng(3))).weights()[0];
    // LeCun normal: each ωⱼ ~ N(0, 1), so their mean over 2000 units has σ ≈ 0.022; τ̄ has σ ≈ 0.0007.
    expect(Math.abs(wide.omega.mean)).toBeLessThan(0.1);
    expect(Math.abs(wide.tau.mean - 1)).toBeLessThan(0.01);
  });

  it('stays off the autograd graph: gradients are the same watched or not', () => {
    const rng = new Rng(5);
    const model = deep(3, 8, 'selu', rng);
    const x = randn([4, 8], { rng });
    const grads = () => {
      model.zeroGrad();
      model.forward(x).sum().backward();
      return model.parameters().map((p) => p.grad?.toArray());
    };
    const plain = grads();
    const monitor = new SelfNormalizationMonitor(model);
    expect(grads()).toEqual(plain);
    monitor.remove();
    expect(Object.hasOwn(model.children()[1], 'forward')).toBe(false);
    model.forward(x);
    expect(monitor.layers()[0].batches).toBe(1); // the pass above, before remove()
  });

  it('records every n-th pass, watches named layers, and names unknown ones', () => {
    const model = deep(2, 4, 'selu', new Rng(0));
    const monitor = new SelfNormalizationMonitor(model, { layers: ['0', '3'], every: 2 });
    for (let i = 0; i < 5; i++) model.forward(randn([2, 4], { rng: new Rng(i) }));
    expect(monitor.layers().map((l) => [l.name, l.type, l.batches])).toEqual([
      ['0', 'Linear', 3],
      ['3', 'SELU', 3],
    ]);
    expect(() => new SelfNormalizationMonitor(model, { layers: ['9'] })).toThrow(
      /the model has no module '9'; its modules are '0', '1', '2', '3'/,
    );
    expect(() => new SelfNormalizationMonitor(new Sequential(new Linear(2, 2, { rng: new Rng(0) })))).toThrow(
      /no SELU, ReLU, ELU or Tanh module to watch/,
    );
    expect(() => new SelfNormalizationMonitor(model, { band: { variance: [2, 1] } })).toThrow(
      /band.variance/,
    );
  });
});

describe('Module.registerForwardHook', () => {
  it('calls hooks in order with the inputs and output, until removed', () => {
    const layer = new SELU();
    const calls: string[] = [];
    const a = layer.registerForwardHook((m, inputs, out) => {
      expect(m).toBe(layer);
      calls.push(`a:${inputs[0].size}:${out.size}`);
    });
    layer.registerForwardHook(() => calls.push('b'));
    new Sequential(layer).forward(tensor([1, 2, 3]));
    expect(calls).toEqual(['a:3:3', 'b']);
    a.remove();
    a.remove();
    layer.forward(tensor([1]));
    expect(calls).toEqual(['a:3:3', 'b', 'b']);
    expect(Object.keys(layer)).not.toContain('forward');
  });
});
