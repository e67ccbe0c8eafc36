import { Rng, randn } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { type PathProbe, parseArgs, UsageError } from './cli.ts';
import { Cnn } from './model-cnn.ts';
import { CNN_DEFAULTS } from './options.ts';

const probe: PathProbe = { kind: () => 'missing' };

describe('Cnn', () => {
  it('maps [N, 784] pixels to [N, 10] logits; PyTorch names in its state dict', () => {
    const rng = new Rng(1);
    const model = new Cnn(
      { depth: 2, width: 16, activation: 'selu', dropout: 0.05 },
      rng.split(),
      rng.split(),
    );
    expect(model.forward(randn([3, 784], { rng })).shape).toEqual([3, 10]);
    expect(model.forward(randn([2, 1, 28, 28], { rng })).shape).toEqual([2, 10]);
    expect(Object.keys(model.stateDict())).toEqual([
      'blocks.0.conv.weight',
      'blocks.0.conv.bias',
      'blocks.1.conv.weight',
      'blocks.1.conv.bias',
      'hidden.weight',
      'hidden.bias',
      'head.weight',
      'head.bias',
    ]);
  });
  it('layer statistics: the first SELU near (0, 1) at initialization (later ones follow max-pooling), τ ≈ 1', () => {
    const rng = new Rng(2);
    const model = new Cnn({ depth: 2, width: 64, activation: 'selu', dropout: 0 }, rng.split(), rng.split());
    const stats = model.activationStats(randn([16, 784], { rng }));
    expect(stats).toHaveLength(3);
    expect(Math.abs(stats[0].mean)).toBeLessThan(0.1);
    expect(Math.abs(stats[0].variance - 1)).toBeLessThan(0.15);
    for (const s of stats) expect(Math.abs(s.tau - 1)).toBeLessThan(0.2);
  });
  it('relu-bn adds BatchNorm2d after each convolution', () => {
    const rng = new Rng(3);
    const model = new Cnn(
      { depth: 2, width: 8, activation: 'relu-bn', dropout: 0.1 },
      rng.split(),
      rng.split(),
    );
    expect(Object.keys(model.stateDict())).toContain('blocks.1.norm.running_var');
  });
});

describe('--model cnn', () => {
  it('takes the CNN defaults; --depth is refused', () => {
    expect(parseArgs(['--model', 'cnn'], probe)).toEqual({
      kind: 'train',
      options: { ...CNN_DEFAULTS, out: undefined },
      onnx: true,
    });
    expect(() => parseArgs(['--model', 'cnn', '--depth', '4'], probe)).toThrow(UsageError);
  });
});
