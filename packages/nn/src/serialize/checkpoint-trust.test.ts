import { Rng, type Tensor, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { Linear } from '../layers/linear';
import { SELU } from '../layers/selu';
import { Sequential } from '../layers/sequential';
import { Adam } from '../optim/adam';
import { StepLR } from '../optim/lr-scheduler';
import { SGD } from '../optim/sgd';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { crc32 } from './crc32';
import { loadSafetensors, saveSafetensors } from './safetensors';

const net = (seed: number, width = 5) => {
  const rng = new Rng(seed);
  return new Sequential(new Linear(3, width, { rng }), new SELU(), new Linear(width, 2, { rng }));
};

/** Where the data section of a safetensors file starts. */
const dataStart = (bytes: Uint8Array) =>
  8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));

describe('checkpoint checksum (issue 11)', () => {
  it("stores the CRC-32 of the data in the metadata as 'selfnorm.checksum'", () => {
    const bytes = saveCheckpoint({ model: net(1), metadata: { epoch: '1' } });
    const { metadata } = loadSafetensors(bytes);
    const expected = crc32(bytes.subarray(dataStart(bytes)))
      .toString(16)
      .padStart(8, '0');
    expect(metadata['selfnorm.checksum']).toBe(`crc32:${expected}`);
    expect(metadata.epoch).toBe('1');
  });

  it('patches the right bytes even when user metadata quotes the checksum entry', () => {
    const tricky = '"selfnorm.checksum":"crc32:00000000"';
    const bytes = saveCheckpoint({ model: net(13), metadata: { [tricky]: tricky } });
    const { metadata } = loadSafetensors(bytes);
    expect(metadata[tricky]).toBe(tricky);
    expect(metadata['selfnorm.checksum']).not.toBe('crc32:00000000');
    loadCheckpoint(bytes, { model: net(14) });
  });

  it('refuses a checkpoint whose data bytes were overwritten, naming the file, and changes nothing', () => {
    const source = net(2);
    const bytes = saveCheckpoint({ model: source, optimizer: new Adam(source.parameters()) });
    const start = dataStart(bytes);
    const damaged = bytes.slice();
    damaged.fill(0xff, start + 4, start + 12); // two float32 weights become NaN
    const model = net(3);
    const opt = new Adam(model.parameters(), { lr: 0.5 });
    const before = model.stateDict();
    expect(() =>
      loadCheckpoint(damaged, { model, optimizer: opt, source: 'run/checkpoint.safetensors' }),
    ).toThrow(
      /^loadCheckpoint: run\/checkpoint.safetensors: the data does not match its checksum \(stored crc32:[0-9a-f]{8}, computed crc32:[0-9a-f]{8}\); the file is damaged/,
    );
    expect(model.stateDict()).toEqual(before);
    expect(opt.lr).toBe(0.5);
    // Without a source the message still says what failed.
    expect(() => loadCheckpoint(damaged, { model })).toThrow(/^loadCheckpoint: the data does not match/);
    // One flipped bit is enough.
    const flipped = bytes.slice();
    flipped[bytes.length - 1] ^= 1;
    expect(() => loadCheckpoint(flipped, { model })).toThrow(/does not match its checksum/);
  });

  it('names the source in errors about the file itself', () => {
    const bytes = saveCheckpoint({ model: net(4) });
    expect(() =>
      loadCheckpoint(bytes.subarray(0, bytes.length - 1), { model: net(4), source: 'a/b.safetensors' }),
    ).toThrow(/^safetensors: a\/b.safetensors: /);
  });

  it('loads an old checkpoint without a checksum, and refuses a malformed one', () => {
    const source = net(5);
    const sd = source.stateDict();
    const old = saveSafetensors(Object.fromEntries(Object.entries(sd).map(([k, t]) => [`model.${k}`, t])));
    const model = net(6);
    loadCheckpoint(old, { model });
    expect(model.stateDict()).toEqual(sd);
    const odd = saveSafetensors({ 'model.0.weight': sd['0.weight'] }, { 'selfnorm.checksum': 'md5:abc' });
    expect(() => loadCheckpoint(odd, { model, strict: false })).toThrow(
      /loadCheckpoint: metadata 'selfnorm.checksum' is "md5:abc"; expected 'crc32:' and 8 hex digits/,
    );
  });

  it('checks a 10 MB checkpoint quickly', () => {
    const rng = new Rng(7);
    const big = new Sequential(new Linear(1250, 1000, { rng }), new Linear(1000, 1000, { rng }));
    const bytes = saveCheckpoint({ model: big });
    expect(bytes.length).toBeGreaterThan(9_000_000);
    const t = performance.now();
    loadCheckpoint(bytes, { model: big });
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe('saveSafetensors of a disposed tensor', () => {
  it('refuses it by name instead of failing on its storage', () => {
    const t = net(12).stateDict()['0.weight'];
    t.dispose();
    expect(() => saveSafetensors({ w: t })).toThrow(/saveSafetensors: 'w' was disposed/);
  });
});

describe('loadCheckpoint shape messages (issue 11)', () => {
  it('says which shape the model has and the file has, without suggesting { strict: false }', () => {
    const bytes = saveCheckpoint({ model: net(8, 5) });
    let message = '';
    try {
      loadCheckpoint(bytes, { model: net(9, 4), source: 'run/checkpoint.safetensors' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /^loadCheckpoint: run\/checkpoint.safetensors does not fit the model: 'model.0.weight' is \[5, 3\] in the file but \[4, 3\] in the model/,
    );
    expect(message).toMatch(/'model.2.weight' is \[2, 5\] in the file but \[2, 4\] in the model/);
    expect(message).not.toMatch(/strict/);
  });
});

describe('checkpoints of parameter groups and schedulers', () => {
  it('resume the schedule and every group where they were', () => {
    const make = () => {
      const model = new Linear(2, 1, { rng: new Rng(0) });
      const optimizer = new SGD([{ params: [model.weight] }, { params: [model.bias as Tensor], lr: 0.5 }], {
        lr: 0.1,
        momentum: 0.9,
      });
      return { model, optimizer, scheduler: new StepLR(optimizer, { stepSize: 1, gamma: 0.5 }) };
    };
    const a = make();
    a.model.weight.grad = tensor([[1, 1]]);
    a.optimizer.step();
    a.scheduler.step();
    a.scheduler.step();
    const bytes = saveCheckpoint(a);
    const b = make();
    loadCheckpoint(bytes, b);
    expect(b.scheduler.lastEpoch).toBe(2);
    expect(b.optimizer.paramGroups.map((g) => g.options.lr)).toEqual([0.025, 0.125]);
    expect(b.optimizer.stateDict()).toEqual(a.optimizer.stateDict());
    const c = make();
    expect(() => loadCheckpoint(saveCheckpoint({ model: a.model, optimizer: a.optimizer }), c)).toThrow(
      /holds no scheduler state/,
    );
    expect(c.optimizer.paramGroups[1].options.lr).toBe(0.5); // nothing changed
  });
});
