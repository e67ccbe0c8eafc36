import { Rng } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { ELU } from './layers/activations';
import { AlphaDropout } from './layers/alpha-dropout';
import { BatchNorm1d } from './layers/batch-norm';
import { Flatten } from './layers/flatten';
import { Linear } from './layers/linear';
import { SELU } from './layers/selu';
import { Sequential } from './layers/sequential';
import { summary } from './summary';

const rng = new Rng(0);

describe('Module.toString', () => {
  it('prints the module tree as PyTorch does', () => {
    const model = new Sequential(
      new Flatten(),
      new Linear(784, 32, { rng }),
      new SELU(),
      new AlphaDropout({ rate: 0.05, rng }),
      new Sequential(new Linear(32, 10, { rng, bias: false }), new ELU({ alpha: 0.5 })),
      new BatchNorm1d(10),
    );
    expect(String(model)).toBe(
      [
        'Sequential(',
        '  (0): Flatten(startDim=1, endDim=-1)',
        '  (1): Linear(inFeatures=784, outFeatures=32, bias=true)',
        '  (2): SELU()',
        '  (3): AlphaDropout(rate=0.05)',
        '  (4): Sequential(',
        '    (0): Linear(inFeatures=32, outFeatures=10, bias=false)',
        '    (1): ELU(alpha=0.5)',
        '  )',
        '  (5): BatchNorm1d(10, eps=0.00001, momentum=0.1, trackRunningStats=true)',
        ')',
      ].join('\n'),
    );
  });
});

describe('summary', () => {
  it('lists output shapes, own parameter counts and totals, and restores the mode', () => {
    const model = new Sequential(
      new Linear(784, 32, { rng }),
      new SELU(),
      new AlphaDropout({ rate: 0.1, rng }),
      new Sequential(new Linear(32, 10, { rng })),
    );
    const s = summary(model, [2, 784]);
    expect(s.rows.map((r) => [r.name, r.type, r.depth, r.outputShape, r.parameters, r.trainable])).toEqual([
      ['0', 'Linear', 1, [2, 32], 784 * 32 + 32, 'trainable'],
      ['1', 'SELU', 1, [2, 32], 0, ''],
      ['2', 'AlphaDropout', 1, [2, 32], 0, ''],
      ['3', 'Sequential', 1, [2, 10], 0, ''],
      ['3.0', 'Linear', 2, [2, 10], 330, 'trainable'],
    ]);
    expect(s.totalParameters).toBe(784 * 32 + 32 + 330);
    expect(s.trainableParameters).toBe(s.totalParameters);
    expect(model.training).toBe(true);
    expect(model.at(2).training).toBe(true);
    const lines = s.text.split('\n');
    expect(lines[0]).toBe('Sequential');
    expect(lines).toContain('Total parameters: 25,450');
    expect(s.text).toMatch(/ {2}3\.0 \(Linear\)\s+\[2, 10\]\s+330\s+trainable/);
    expect(() => summary(model, [2, 783])).toThrow(/784/);
    expect(() => summary(model, ['2'] as never)).toThrow(
      /inputShape must be an array of non-negative integers/,
    );
  });
});
