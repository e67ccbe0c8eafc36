import { Rng, randn, type Tensor, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d } from '../layers/batch-norm';
import { Linear } from '../layers/linear';
import { SELU } from '../layers/selu';
import { Sequential } from '../layers/sequential';
import { crossEntropy } from '../losses';
import { Adam } from '../optim/adam';
import { SGD } from '../optim/sgd';
import { loadCheckpoint, saveCheckpoint, saveCheckpointAsync } from './checkpoint';
import { loadSafetensors, saveSafetensors } from './safetensors';

const net = (seed: number, width = 6) => {
  const rng = new Rng(seed);
  return new Sequential(
    new Linear(4, width, { rng }),
    new BatchNorm1d(width),
    new SELU(),
    new Linear(width, 3, { rng }),
  );
};

const x = randn([8, 4], { rng: new Rng(100) });
const labels = [0, 1, 2, 0, 1, 2, 0, 1];

function trainStep(model: Sequential, opt: { step(): void; zeroGrad(): void }): void {
  opt.zeroGrad();
  crossEntropy(model.forward(x), labels).backward();
  opt.step();
}

describe('saveSafetensors / loadSafetensors', () => {
  it('round-trips float32 and float64 tensors and metadata', () => {
    const a = randn([2, 3], { rng: new Rng(1) });
    const b = tensor([Math.PI, -0], { dtype: 'float64' });
    const { tensors, metadata } = loadSafetensors(saveSafetensors({ a, b }, { note: 'hi' }));
    expect(metadata).toEqual({ note: 'hi' });
    expect(tensors.a.dtype).toBe('float32');
    expect(tensors.a.shape).toEqual([2, 3]);
    expect(tensors.a.toArray()).toEqual(a.toArray());
    expect(tensors.b.dtype).toBe('float64');
    expect(Object.is(tensors.b.data[1], -0)).toBe(true);
    expect(tensors.b.data[0]).toBe(Math.PI);
  });

  it("restores a module's state dict into a freshly built module", () => {
    const source = net(1);
    trainStep(source, new SGD(source.parameters(), { lr: 0.1 }));
    const target = net(2);
    target.loadStateDict(loadSafetensors(saveSafetensors(source.stateDict())).tensors);
    source.eval();
    target.eval();
    expect(target.forward(x).toArray()).toEqual(source.forward(x).toArray());
  });

  it('loads a PyTorch-style BatchNorm1d file whose num_batches_tracked is I64', () => {
    const header = JSON.stringify({
      num_batches_tracked: { dtype: 'I64', shape: [], data_offsets: [0, 8] },
      running_mean: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
      running_var: { dtype: 'F32', shape: [2], data_offsets: [16, 24] },
      weight: { dtype: 'F32', shape: [2], data_offsets: [24, 32] },
      bias: { dtype: 'F32', shape: [2], data_offsets: [32, 40] },
    });
    const json = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + json.length + 40);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    const at = 8 + json.length;
    view.setBigInt64(at, 7n, true);
    [0.5, -0.5, 2, 3, 1.5, 1, 0.25, 0].forEach((v, i) => void view.setFloat32(at + 8 + 4 * i, v, true));
    const bn = new BatchNorm1d(2);
    bn.loadStateDict(loadSafetensors(bytes).tensors);
    expect(bn.numBatchesTracked).toBe(7);
    expect(Array.from(bn.runningVar.data)).toEqual([2, 3]);
    expect(Array.from(bn.weight!.data)).toEqual([1.5, 1]);
  });

  it('refuses a non-tensor value and non-bytes input', () => {
    expect(() => saveSafetensors({ a: [1, 2] as unknown as Tensor })).toThrow(/'a' is not a Tensor/);
    expect(() => loadSafetensors([1, 2, 3] as unknown as Uint8Array)).toThrow(/Uint8Array/);
  });
});

describe('saveCheckpoint / loadCheckpoint', () => {
  it('resumes model and optimizer exactly', () => {
    const straight = net(3);
    const opt = new Adam(straight.parameters(), { lr: 0.01 });
    for (let i = 0; i < 4; i++) trainStep(straight, opt);

    const first = net(3);
    const opt1 = new Adam(first.parameters(), { lr: 0.01 });
    trainStep(first, opt1);
    trainStep(first, opt1);
    const bytes = saveCheckpoint({ model: first, optimizer: opt1, metadata: { epoch: '2' } });

    const resumed = net(4);
    const opt2 = new Adam(resumed.parameters(), { lr: 0.5 });
    const { metadata } = loadCheckpoint(bytes, { model: resumed, optimizer: opt2 });
    expect(metadata).toEqual({ epoch: '2' });
    expect(opt2.lr).toBe(0.01);
    trainStep(resumed, opt2);
    trainStep(resumed, opt2);
    expect(resumed.stateDict()).toEqual(straight.stateDict());
  });

  it('keeps model keys loadable as a plain state dict (prefix model.)', () => {
    const model = net(5);
    const { tensors } = loadSafetensors(saveCheckpoint({ model }));
    expect(Object.keys(tensors).sort()).toEqual(
      Object.keys(model.stateDict())
        .map((k) => `model.${k}`)
        .sort(),
    );
  });

  it('changes nothing when the model does not fit', () => {
    const source = net(6);
    const sourceOpt = new SGD(source.parameters(), { lr: 0.1, momentum: 0.9 });
    trainStep(source, sourceOpt);
    const bytes = saveCheckpoint({ model: source, optimizer: sourceOpt });

    const other = net(7, 6);
    // same parameter shapes for the optimizer, but one extra unexpected key in the model
    const wider = new Sequential(...other.layers, new SELU(), new Linear(3, 3, { rng: new Rng(0) }));
    const opt = new SGD(wider.parameters().slice(0, 6), { lr: 0.2, momentum: 0.5 });
    const before = wider.stateDict();
    expect(() => loadCheckpoint(bytes, { model: wider, optimizer: opt })).toThrow(
      /missing keys: 5.weight, 5.bias/,
    );
    expect(wider.stateDict()).toEqual(before);
    expect(opt.options.lr).toBe(0.2);
    expect(opt.stateDict().state).toEqual({});
  });

  it('refuses a checkpoint of another optimizer, reserved metadata keys and corrupt bytes', () => {
    const model = net(8);
    const bytes = saveCheckpoint({ model, optimizer: new SGD(model.parameters()) });
    expect(() => loadCheckpoint(bytes, { model, optimizer: new Adam(model.parameters()) })).toThrow(
      /holds SGD state, not Adam/,
    );
    expect(() => saveCheckpoint({ model, metadata: { 'selfnorm.x': '1' } })).toThrow(/reserved/);
    expect(() => loadCheckpoint(bytes.subarray(0, bytes.length - 1), { model })).toThrow(/safetensors:/);
  });
});

describe('saveCheckpointAsync (for models on a device without synchronous reads)', () => {
  it('writes the same bytes as saveCheckpoint', async () => {
    const rng = new Rng(4);
    const model = new Sequential(
      new Linear(3, 4, { rng }),
      new SELU(),
      new BatchNorm1d(4),
      new Linear(4, 2, { rng }),
    );
    const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
    crossEntropy(model.forward(randn([5, 3], { rng })), [0, 1, 1, 0, 1]).backward();
    optimizer.step();
    const sync = saveCheckpoint({ model, optimizer, metadata: { epoch: '1' } });
    const async = await saveCheckpointAsync({ model, optimizer, metadata: { epoch: '1' } });
    expect(async).toEqual(sync);
  });
});
