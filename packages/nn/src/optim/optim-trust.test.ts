import { axpy, type Tensor, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { messageOf } from '../testing/message-of';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { Optimizer, type OptimizerStateDict, type ParamState } from './optimizer';
import { SGD } from './sgd';

const param = (values = [1, 2]) => tensor(values, { dtype: 'float64', requiresGrad: true });

describe('optimizers refuse what would train silently wrong (issue 11)', () => {
  it('refuses a non-leaf parameter (its updates would never reach the model)', () => {
    const w = param();
    const doubled = w.mul(2);
    for (const make of [() => new SGD([w, doubled]), () => new Adam([doubled])]) {
      expect(make).toThrow(/parameter \d is not a leaf tensor \(it is the output of mul\)/);
    }
  });

  it('refuses string, infinite and NaN hyper-parameters, and unknown option names', () => {
    const p = param();
    const bad: [() => unknown, RegExp][] = [
      [() => new SGD([p], { lr: '0.1' as never }), /SGD: lr must be a finite number >= 0, got "0.1"/],
      [() => new SGD([p], { lr: Number.POSITIVE_INFINITY }), /lr must be a finite number >= 0, got Infinity/],
      [() => new SGD([p], { momentum: Number.NaN }), /momentum must be a finite number >= 0, got NaN/],
      [() => new SGD([p], { dampening: '0' as never }), /dampening must be a finite number, got "0"/],
      [() => new SGD([p], { nesterov: 'yes' as never }), /nesterov must be a boolean, got "yes"/],
      [
        () => new SGD([p], { lerningRate: 0.1 } as never),
        /SGD: unknown option 'lerningRate' \(options: lr, /,
      ],
      [() => new SGD([p], 0.1 as never), /SGD: options must be an object/],
      [() => new Adam([p], { eps: Number.POSITIVE_INFINITY }), /Adam: eps must be a finite number >= 0/],
      [
        () => new Adam([p], { betas: ['0.9', 0.99] as never }),
        /betas must be two finite numbers in \[0, 1\)/,
      ],
      [() => new AdamW([p], { weightDecay: -1 }), /AdamW: weightDecay must be a finite number >= 0, got -1/],
      [() => new Adam([p], { amsgrad: 1 as never }), /amsgrad must be a boolean, got 1/],
    ];
    for (const [make, message] of bad) expect(make).toThrow(message);
  });

  it('refuses a gradient of another shape with the same size', () => {
    const first = param([3]);
    const p = tensor([[1, 2]], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([first, p], { lr: 0.1 });
    first.grad = tensor([1], { dtype: 'float64' });
    p.grad = tensor([[1], [2]], { dtype: 'float64' });
    expect(() => opt.step()).toThrow(
      /SGD.step: parameter 1 has shape \[1, 2\] but its grad has shape \[2, 1\]; nothing was updated/,
    );
    expect(Array.from(p.data)).toEqual([1, 2]);
    expect(Array.from(first.data)).toEqual([3]); // all grads are checked before any update
  });

  it('validates options on every change: options.lr = -5 is refused like opt.lr = -5', () => {
    const p = param();
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true });
    expect(() => {
      opt.options.lr = -5;
    }).toThrow(/SGD: lr must be a finite number >= 0, got -5/);
    expect(() => {
      opt.lr = -5;
    }).toThrow(/SGD: lr must be a finite number >= 0, got -5/);
    expect(() => {
      opt.options.momentum = 0; // nesterov needs momentum > 0
    }).toThrow(/nesterov needs momentum > 0 and dampening 0/);
    expect(() => {
      (opt.options as Record<string, unknown>).lrr = 1;
    }).toThrow(/SGD: unknown option 'lrr'/);
    expect(() => delete (opt.options as Partial<typeof opt.options>).lr).toThrow(/cannot be deleted/);
    expect(opt.options.lr).toBe(0.1);
    expect(opt.options.momentum).toBe(0.9);
    opt.options.lr = 0.05; // a schedule still works
    expect(opt.lr).toBe(0.05);

    const adam = new Adam([p]);
    expect(() => {
      adam.options.betas[0] = 5;
    }).toThrow(/Adam: options.betas cannot be changed in place; assign a new pair/);
    expect(() => {
      adam.options.betas = [5, 5];
    }).toThrow(/betas must be two finite numbers in \[0, 1\)/);
    adam.options.betas = [0.8, 0.99];
    expect(adam.options.betas).toEqual([0.8, 0.99]);
  });

  it('checks the options of an optimizer written without rules by the types of its defaults', () => {
    class Plain extends Optimizer<{ lr: number; flag: boolean }> {
      constructor(params: Tensor[], lr: number) {
        super('Plain', params, { lr, flag: false });
      }
      protected update(param: Tensor, grad: Tensor, _state: ParamState): void {
        axpy(-this.options.lr, grad, param);
      }
    }
    expect(() => new Plain([param()], Number.NaN)).toThrow(/Plain: lr must be a finite number, got NaN/);
    const opt = new Plain([param()], 0.1);
    expect(() => {
      opt.options.flag = 'no' as never;
    }).toThrow(/Plain: flag must be a boolean, got "no"/);
  });

  it('skips a frozen parameter (no grad) as PyTorch does, and keeps it in the list', () => {
    const a = param([1]);
    const frozen = param([5]);
    frozen.requiresGrad = false;
    const opt = new SGD([a, frozen], { lr: 0.5 });
    a.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(Array.from(a.data)).toEqual([0.5]);
    expect(Array.from(frozen.data)).toEqual([5]);
    expect(opt.params.length).toBe(2);
  });
});

describe('Optimizer.loadStateDict checks everything, with the constructor rules (issue 11)', () => {
  /** An Adam after one step, and its state dict. */
  function trained(): { p: Tensor; opt: Adam; sd: OptimizerStateDict } {
    const p = param();
    const opt = new Adam([p], { lr: 0.1 });
    p.grad = tensor([0.5, -1], { dtype: 'float64' });
    opt.step();
    return { p, opt, sd: opt.stateDict() };
  }

  it('refuses a misspelt buffer name (Adam would resume with zero moments)', () => {
    const { sd } = trained();
    const { opt } = trained();
    const before = JSON.stringify(opt.stateDict());
    const state: Record<string, Tensor> = { ...sd.state, '0.exp_avgg': sd.state['0.exp_avg'] };
    delete state['0.exp_avg'];
    const message = messageOf(() => opt.loadStateDict({ options: sd.options, state }));
    expect(message).toMatch(/Adam.loadStateDict: nothing was loaded because/);
    expect(message).toMatch(
      /'0.exp_avgg' is not a buffer of Adam \(buffers: exp_avg, exp_avg_sq, max_exp_avg_sq\)/,
    );
    expect(message).toMatch(/parameter 0 has no '0.exp_avg'/);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
  });

  it('refuses hyper-parameters the constructor refuses', () => {
    const { opt, sd } = trained();
    const message = messageOf(() =>
      opt.loadStateDict({ options: { ...sd.options, lr: -1, betas: [5, 5] }, state: sd.state }),
    );
    expect(message).toMatch(/lr must be a finite number >= 0, got -1/);
    expect(message).toMatch(/betas must be two finite numbers in \[0, 1\), got \[5,5\]/);
    expect(opt.lr).toBe(0.1);
    const sgd = new SGD([param()], { lr: 0.1 });
    expect(() =>
      sgd.loadStateDict({
        options: { ...sgd.options, nesterov: true, momentum: 0 },
        state: {},
      }),
    ).toThrow(/nesterov needs momentum > 0 and dampening 0/);
  });

  it('compares buffer shapes exactly, and refuses non-finite buffers and a bad step', () => {
    const { opt, sd } = trained();
    const message = messageOf(() =>
      opt.loadStateDict({
        options: sd.options,
        state: {
          '0.step': tensor([1], { dtype: 'float64' }),
          '0.exp_avg': tensor([[1], [2]], { dtype: 'float64' }),
          '0.exp_avg_sq': tensor([1, Number.NaN], { dtype: 'float64' }),
        },
      }),
    );
    expect(message).toMatch(/'0.step' must be a 0-d tensor holding a whole number >= 0, got shape \[1\]/);
    expect(message).toMatch(/'0.exp_avg' has shape \[2, 1\], expected \[2\]/);
    expect(message).toMatch(/'0.exp_avg_sq' holds a non-finite value \(NaN at index 1\)/);
    expect(() => opt.loadStateDict(null as never)).toThrow(/expected \{ options, state \}/);
  });

  it('refuses a float64 buffer value that would become ±∞ in a float32 parameter', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    const state = {
      '0.step': tensor(1, { dtype: 'float64' }),
      '0.momentum_buffer': tensor([1, 1e300], { dtype: 'float64' }),
    };
    expect(() => opt.loadStateDict({ options: opt.stateDict().options, state })).toThrow(
      /'0.momentum_buffer' holds a non-finite value \(1e\+300 at index 1, beyond float32\)/,
    );
  });

  it('loads what it saved, all of it', () => {
    const { opt, sd } = trained();
    const { opt: other } = trained();
    other.options.lr = 0.3;
    other.loadStateDict(sd);
    expect(other.stateDict()).toEqual(opt.stateDict());
  });
});

describe('parameter groups (PyTorch param_groups)', () => {
  const leaf = (v: number) => tensor([v], { dtype: 'float64', requiresGrad: true });

  it('give each group its own hyper-parameters over the optimizer defaults', () => {
    const a = leaf(1);
    const b = leaf(1);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5, momentum: 0.9 }], { lr: 0.1 });
    expect(opt.params).toEqual([a, b]);
    expect(opt.paramGroups.map((g) => [g.options.lr, g.options.momentum])).toEqual([
      [0.1, 0],
      [0.5, 0.9],
    ]);
    a.grad = tensor([1], { dtype: 'float64' });
    b.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(a.data[0]).toBeCloseTo(0.9, 15);
    expect(b.data[0]).toBeCloseTo(0.5, 15);
    opt.lr = 0.01; // the shortcut sets every group's rate
    expect(opt.paramGroups.map((g) => g.options.lr)).toEqual([0.01, 0.01]);
  });

  it('check every group with the constructor rules, and refuse a parameter in two groups', () => {
    const a = leaf(1);
    expect(() => new Adam([{ params: [a] }, { params: [leaf(2)], betas: [5, 5] }])).toThrow(
      /Adam: group 1: betas must be two finite numbers in \[0, 1\), got \[5,5\]/,
    );
    expect(() => new SGD([{ params: [a] }, { params: [a] }])).toThrow(/parameter 1 appears twice/);
    expect(() => new SGD([{ params: [a], lrr: 1 } as never])).toThrow(/group 0: unknown option 'lrr'/);
    expect(() => new SGD([{ params: [a] }, a] as never)).toThrow(/mixes tensors and parameter groups/);
    expect(() => new SGD([{ params: [] }])).toThrow(/group 0: got an empty parameter list/);
  });

  it('save and restore each group, and refuse a state of other groups', () => {
    const make = () =>
      new Adam([{ params: [leaf(1)] }, { params: [leaf(2), leaf(3)], lr: 0.5 }], { lr: 0.1 });
    const opt = make();
    for (const p of opt.params) p.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    const sd = opt.stateDict();
    expect(sd.groups?.map((g) => [g.params, g.options.lr])).toEqual([
      [[0], 0.1],
      [[1, 2], 0.5],
    ]);
    const other = make();
    other.paramGroups[1].options.lr = 0.2;
    other.loadStateDict(sd);
    expect(other.paramGroups[1].options.lr).toBe(0.5);
    expect(other.stateDict()).toEqual(sd);
    const single = new Adam([leaf(1), leaf(2), leaf(3)]);
    expect(() => single.loadStateDict(sd)).toThrow(
      /the state has 2 parameter groups, but this optimizer has 1/,
    );
    expect(() => make().loadStateDict({ options: sd.options, state: sd.state })).toThrow(
      /the state has one parameter group, but this optimizer has 2/,
    );
    const bad = structuredClone(sd);
    (bad.groups as { options: Record<string, unknown> }[])[1].options.lr = -1;
    expect(() => make().loadStateDict(bad)).toThrow(
      /group 1: option lr must be a finite number >= 0, got -1/,
    );
  });
});
