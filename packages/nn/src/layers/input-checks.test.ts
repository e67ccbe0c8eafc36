/**
 * A layer's forward refuses a non-tensor input at the call, naming the layer (issue 11): before,
 * `model.forward([[1, 2]])` on a Sequential of Linear failed with "Cannot read properties of undefined
 * (reading 'NaN')", and Identity or Dropout in eval mode passed the array through.
 */
import { Rng, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import type { Module } from '../module';
import { ELU, Identity, ReLU, Tanh } from './activations';
import { AlphaDropout } from './alpha-dropout';
import { BatchNorm1d } from './batch-norm';
import { BatchNorm2d } from './batch-norm-2d';
import { Dropout } from './dropout';
import { Embedding } from './embedding';
import { FeatureAlphaDropout } from './feature-alpha-dropout';
import { Flatten } from './flatten';
import { LayerNorm } from './layer-norm';
import { Linear } from './linear';
import { SELU } from './selu';
import { Sequential } from './sequential';

const rng = new Rng(0);
const forward = (m: Module, x: unknown) => () => m.forward(x as never);

describe('layer inputs', () => {
  it('model.forward([[1, 2]]) on a Sequential of Linear names the layer, the input and the fix', () => {
    const model = new Sequential(new Linear(2, 3, { rng }), new SELU(), new Linear(3, 1, { rng }));
    expect(forward(model, [[1, 2]])).toThrow(
      'Linear(2, 3).forward: input must be a Tensor, got an array [[1, 2]] (wrap data with tensor(...))',
    );
    expect(model.forward(tensor([[1, 2]])).shape).toEqual([1, 1]);
  });

  it.each([
    ['ReLU.forward', new ReLU()],
    ['ELU.forward', new ELU()],
    ['Tanh.forward', new Tanh()],
    ['Identity.forward', new Identity()],
    ['SELU.forward', new SELU()],
    ['Flatten.forward', new Flatten()],
    ['Dropout.forward', new Dropout({ rate: 0.5, rng }).eval()],
    ['AlphaDropout.forward', new AlphaDropout({ rate: 0.5, rng }).eval()],
    ['BatchNorm1d(2).forward', new BatchNorm1d(2)],
    ['BatchNorm2d(2).forward', new BatchNorm2d(2)],
    ['LayerNorm([2]).forward', new LayerNorm(2)],
    ['FeatureAlphaDropout.forward', new FeatureAlphaDropout({ rate: 0.5, rng }).eval()],
  ] as Array<[string, Module]>)('%s', (name, layer) => {
    expect(forward(layer, [[1, 2]])).toThrow(TypeError);
    expect(forward(layer, 7)).toThrow(`${name}: input must be a Tensor, got the number 7`);
  });

  it('Embedding names its indices argument', () => {
    expect(forward(new Embedding(3, 2, { rng }), 7)).toThrow(
      'Embedding(3, 2).forward: indices must be a Tensor, got the number 7',
    );
  });
});
