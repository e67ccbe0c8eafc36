import { conv2d, Rng, randn, tensor } from '@selfnorm/tensor';
import { expectClose } from '@selfnorm/tensor/testing';
import { describe, expect, it } from 'vitest';
import { constantInit, convFans, lecunNormal } from '../init';
import { Conv1d, Conv2d } from './conv';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './pooling';

describe('Conv2d / Conv1d', () => {
  it("PyTorch's layout and names: weight [O, I/groups, kH, kW], bias [O]", () => {
    const c = new Conv2d(4, 6, [3, 2], { groups: 2, rng: new Rng(0) });
    const sd = c.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias']);
    expect(sd.weight.shape).toEqual([6, 2, 3, 2]);
    expect(sd.bias.shape).toEqual([6]);
    expect(new Conv1d(3, 5, 4, { bias: false, rng: new Rng(0) }).weight.shape).toEqual([5, 3, 4]);
  });
  it('fans: fanIn = in/groups·kH·kW, fanOut = out/groups·kH·kW; LeCun normal has variance 1/fanIn', () => {
    expect(convFans(32, 64, [3, 3])).toEqual({ fanIn: 288, fanOut: 576 });
    expect(convFans(8, 4, [5], 4)).toEqual({ fanIn: 10, fanOut: 5 });
    const seen: unknown[] = [];
    new Conv2d(8, 16, 3, {
      groups: 2,
      init: (shape, ctx) => {
        seen.push(ctx);
        return constantInit(0)(shape, ctx);
      },
    });
    expect(seen).toEqual([{ fanIn: 36, fanOut: 72, dtype: 'float32' }]);
    const w = new Conv2d(64, 128, 3, { rng: new Rng(1) }).weight; // 73 728 draws
    const v = w.square().mean().item();
    expect(Math.abs(v * 576 - 1)).toBeLessThan(0.02);
  });
  it('forward is conv2d with the options and the bias', () => {
    const rng = new Rng(2);
    const c = new Conv2d(2, 3, 3, { stride: 2, padding: 'valid', rng, init: lecunNormal({ rng }) });
    c.loadStateDict({ weight: c.weight.detach(), bias: tensor([0.5, -1, 2]) });
    const x = randn([2, 2, 7, 7], { rng });
    expectClose(c.forward(x), conv2d(x, c.weight, c.bias, { stride: 2 }).toArray() as number[][][][]);
  });
  it('errors name the layer, the channels and what is accepted', () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2, rng: new Rng(0) })).toThrow(
      'Conv2d: inChannels 3 and outChannels 4 must both be divisible by groups 2',
    );
    expect(() => new Conv2d(3, 4, 3)).toThrow(
      'Conv2d: pass { rng } for the default LeCun-normal initialization',
    );
    expect(() =>
      new Conv2d(3, 4, 3, { rng: new Rng(0) }).forward(randn([1, 2, 5, 5], { rng: new Rng(0) })),
    ).toThrow('Conv2d(3, 4): expected input [N, 3, H, W], got [1,2,5,5]');
  });
});

describe('pooling layers', () => {
  it('MaxPool2d, AvgPool2d and AdaptiveAvgPool2d give the shapes PyTorch gives', () => {
    const x = randn([2, 3, 7, 9], { rng: new Rng(3) });
    expect(new MaxPool2d(2).forward(x).shape).toEqual([2, 3, 3, 4]);
    expect(new MaxPool2d(2, { ceilMode: true }).forward(x).shape).toEqual([2, 3, 4, 5]);
    expect(new AvgPool2d(3, { stride: 2, padding: 1 }).forward(x).shape).toEqual([2, 3, 4, 5]);
    expect(new AdaptiveAvgPool2d([2, 4]).forward(x).shape).toEqual([2, 3, 2, 4]);
    expect(new MaxPool2d(2).parameters()).toEqual([]);
  });
});
