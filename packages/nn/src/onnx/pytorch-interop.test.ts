// The JavaScript side of docs/INTEROP.md's statement "a selfnorm checkpoint loads into PyTorch": for each layer, the
// names, shapes and safetensors dtypes of selfnorm's state dict are those of the PyTorch module's state_dict()
// (torch 1.13, listed below by hand; the Python side is checked by hand, see docs/INTEROP.md), and a training
// checkpoint holds `model.<state-dict name>` and `optim.<parameter index>.<torch.optim state name>`.
import { Rng, randn, type Tensor, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { ELU, Identity, ReLU, Tanh } from '../layers/activations';
import { AlphaDropout } from '../layers/alpha-dropout';
import { BatchNorm1d } from '../layers/batch-norm';
import { BatchNorm2d } from '../layers/batch-norm-2d';
import { Conv1d, Conv2d } from '../layers/conv';
import { Dropout } from '../layers/dropout';
import { Embedding } from '../layers/embedding';
import { FeatureAlphaDropout } from '../layers/feature-alpha-dropout';
import { Flatten } from '../layers/flatten';
import { LayerNorm } from '../layers/layer-norm';
import { Linear } from '../layers/linear';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../layers/pooling';
import { SELU } from '../layers/selu';
import { Sequential } from '../layers/sequential';
import { crossEntropy } from '../losses';
import { Module } from '../module';
import { Adam } from '../optim/adam';
import { SGD } from '../optim/sgd';
import { saveCheckpoint } from '../serialize/checkpoint';
import { saveSafetensors } from '../serialize/safetensors';
import { decodeSafetensors } from '../serialize/safetensors-format';

const rng = new Rng(11);

/** name → [shape, dtype] as PyTorch's state_dict() has it (dtype as torch prints it). */
type TorchStateDict = Record<string, [number[], 'torch.float32' | 'torch.float64' | 'torch.int64']>;

/** name → [shape, safetensors dtype] of what selfnorm writes. */
function written(m: Module): Record<string, [number[], string]> {
  const { tensors } = decodeSafetensors(saveSafetensors(m.stateDict()));
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, [t.shape, t.dtype]]));
}

/** What load_state_dict accepts: the same names and shapes; a float dtype that copy_ casts into the torch dtype. */
function expectLoadsInto(m: Module, torch: TorchStateDict): void {
  const ours = written(m);
  expect(Object.keys(m.stateDict())).toEqual(Object.keys(torch)); // the same names, in torch's order
  expect(Object.keys(ours).sort()).toEqual(Object.keys(torch).sort()); // the file holds exactly those
  for (const [name, [shape, dtype]] of Object.entries(torch)) {
    expect([name, ours[name][0]]).toEqual([name, shape]);
    // F32 for float32 weights; num_batches_tracked (int64 in torch) is written as F64, which copy_ casts exactly.
    expect([name, ours[name][1]]).toEqual([name, dtype === 'torch.float32' ? 'F32' : 'F64']);
  }
}

class Block extends Module {
  linear: Linear;
  norm: BatchNorm1d | null = null;
  act = new SELU();
  constructor(inputs: number, withNorm: boolean) {
    super();
    this.linear = new Linear(inputs, 3, { rng });
    if (withNorm) this.norm = new BatchNorm1d(3);
  }
  forward(x: Tensor): Tensor {
    const z = this.linear.forward(x);
    return this.act.forward(this.norm ? this.norm.forward(z) : z);
  }
}

/** The shape of apps/train's Mlp: torch's `blocks = nn.ModuleList([...])`, `self.norm = None`, `head`. */
class Net extends Module {
  blocks = [new Block(4, false), new Block(3, true)];
  head = new Linear(3, 2, { rng });
  forward(x: Tensor): Tensor {
    return this.head.forward(this.blocks[1].forward(this.blocks[0].forward(x)));
  }
}

describe('state dicts have PyTorch names, layouts and dtypes', () => {
  const cases: [string, () => Module, TorchStateDict][] = [
    [
      'nn.Linear(6, 4): weight [out, in], bias [out]',
      () => new Linear(6, 4, { rng }),
      { weight: [[4, 6], 'torch.float32'], bias: [[4], 'torch.float32'] },
    ],
    [
      'nn.Linear(6, 4, bias=False)',
      () => new Linear(6, 4, { rng, bias: false }),
      { weight: [[4, 6], 'torch.float32'] },
    ],
    [
      'nn.Linear(6, 4, dtype=torch.float64)',
      () => new Linear(6, 4, { rng, dtype: 'float64' }),
      { weight: [[4, 6], 'torch.float64'], bias: [[4], 'torch.float64'] },
    ],
    [
      'nn.BatchNorm1d(5)',
      () => new BatchNorm1d(5),
      {
        weight: [[5], 'torch.float32'],
        bias: [[5], 'torch.float32'],
        running_mean: [[5], 'torch.float32'],
        running_var: [[5], 'torch.float32'],
        num_batches_tracked: [[], 'torch.int64'],
      },
    ],
    [
      'nn.BatchNorm1d(5, affine=False)',
      () => new BatchNorm1d(5, { affine: false }),
      {
        running_mean: [[5], 'torch.float32'],
        running_var: [[5], 'torch.float32'],
        num_batches_tracked: [[], 'torch.int64'],
      },
    ],
    [
      'nn.BatchNorm1d(5, track_running_stats=False)',
      () => new BatchNorm1d(5, { trackRunningStats: false }),
      { weight: [[5], 'torch.float32'], bias: [[5], 'torch.float32'] },
    ],
    [
      'nn.BatchNorm2d(5)',
      () => new BatchNorm2d(5),
      {
        weight: [[5], 'torch.float32'],
        bias: [[5], 'torch.float32'],
        running_mean: [[5], 'torch.float32'],
        running_var: [[5], 'torch.float32'],
        num_batches_tracked: [[], 'torch.int64'],
      },
    ],
    [
      'nn.LayerNorm([2, 3]): weight and bias of normalized_shape',
      () => new LayerNorm([2, 3]),
      { weight: [[2, 3], 'torch.float32'], bias: [[2, 3], 'torch.float32'] },
    ],
    ['nn.LayerNorm(4, elementwise_affine=False)', () => new LayerNorm(4, { elementwiseAffine: false }), {}],
    [
      'nn.Embedding(10, 4, padding_idx=0): weight [num_embeddings, embedding_dim]',
      () => new Embedding(10, 4, { rng, paddingIdx: 0 }),
      { weight: [[10, 4], 'torch.float32'] },
    ],
    [
      'nn.Conv2d(4, 6, (3, 2), groups=2): weight [out, in/groups, kH, kW], bias [out]',
      () => new Conv2d(4, 6, [3, 2], { groups: 2, rng }),
      { weight: [[6, 2, 3, 2], 'torch.float32'], bias: [[6], 'torch.float32'] },
    ],
    [
      'nn.Conv1d(3, 5, 4, bias=False): weight [out, in, k]',
      () => new Conv1d(3, 5, 4, { bias: false, rng }),
      { weight: [[5, 3, 4], 'torch.float32'] },
    ],
    [
      'nn.MaxPool2d, AvgPool2d, AdaptiveAvgPool2d: no state',
      () => new Sequential(new MaxPool2d(2), new AvgPool2d(2), new AdaptiveAvgPool2d(1)),
      {},
    ],
    ['nn.FeatureAlphaDropout: no state', () => new FeatureAlphaDropout({ rate: 0.1, rng }), {}],
    [
      'nn.SELU, ReLU, ELU, Tanh, Identity, Dropout, AlphaDropout, Flatten: no state',
      () =>
        new Sequential(
          new SELU(),
          new ReLU(),
          new ELU(),
          new Tanh(),
          new Identity(),
          new Dropout({ rate: 0.1, rng }),
          new AlphaDropout({ rate: 0.1, rng }),
          new Flatten(),
        ),
      {},
    ],
    [
      'nn.Sequential(Linear, SELU, AlphaDropout, Linear): layers named by index',
      () =>
        new Sequential(
          new Linear(4, 3, { rng }),
          new SELU(),
          new AlphaDropout({ rate: 0.1, rng }),
          new Linear(3, 2, { rng }),
        ),
      {
        '0.weight': [[3, 4], 'torch.float32'],
        '0.bias': [[3], 'torch.float32'],
        '3.weight': [[2, 3], 'torch.float32'],
        '3.bias': [[2], 'torch.float32'],
      },
    ],
    [
      'a module with an nn.ModuleList field, a None field and nested modules',
      () => new Net(),
      {
        'blocks.0.linear.weight': [[3, 4], 'torch.float32'],
        'blocks.0.linear.bias': [[3], 'torch.float32'],
        'blocks.1.linear.weight': [[3, 3], 'torch.float32'],
        'blocks.1.linear.bias': [[3], 'torch.float32'],
        'blocks.1.norm.weight': [[3], 'torch.float32'],
        'blocks.1.norm.bias': [[3], 'torch.float32'],
        'blocks.1.norm.running_mean': [[3], 'torch.float32'],
        'blocks.1.norm.running_var': [[3], 'torch.float32'],
        'blocks.1.norm.num_batches_tracked': [[], 'torch.int64'],
        'head.weight': [[2, 3], 'torch.float32'],
        'head.bias': [[2], 'torch.float32'],
      },
    ],
  ];
  for (const [name, make, torch] of cases) it(name, () => expectLoadsInto(make(), torch));

  it('Linear stores W row-major as [out, in]: entry (o, i) is the weight from input i to output o', () => {
    const layer = new Linear(3, 2, { rng });
    const { tensors } = decodeSafetensors(saveSafetensors(layer.stateDict()));
    const y = layer.forward(tensor([[0, 1, 0]])); // picks input 1
    const w = tensors.weight.data;
    const b = layer.bias!.data;
    expect([y.data[0], y.data[1]]).toEqual([
      Math.fround(w[0 * 3 + 1] + b[0]),
      Math.fround(w[1 * 3 + 1] + b[1]),
    ]);
  });
});

describe('Conv2d weight layout', () => {
  it("Conv2d stores W row-major as PyTorch's [out, in/groups, kH, kW]: entry (o, c, p, q) multiplies x[c, i + p, j + q]", () => {
    const layer = new Conv2d(2, 3, [2, 3], { rng });
    const { tensors } = decodeSafetensors(saveSafetensors(layer.stateDict()));
    const x = new Float32Array(2 * 2 * 3);
    x[1 * 6 + 1 * 3 + 2] = 1; // channel 1, row 1, column 2: the one-pixel image picks w[o, 1, 1, 2]
    const y = layer.forward(tensor(x, { shape: [1, 2, 2, 3] }));
    expect(y.shape).toEqual([1, 3, 1, 1]);
    const w = tensors.weight.data;
    expect(Array.from(y.data)).toEqual([0, 1, 2].map((o) => Math.fround(w[((o * 2 + 1) * 2 + 1) * 3 + 2])));
  });
});

describe('a training checkpoint: model.<name> and optim.<index>.<state name>', () => {
  function trained(optimizer: (m: Module) => Adam | SGD) {
    const model = new Net();
    const opt = optimizer(model);
    for (let step = 0; step < 2; step++) {
      opt.zeroGrad();
      crossEntropy(model.forward(randn([8, 4], { rng })), [0, 1, 0, 1, 1, 0, 0, 1]).backward();
      opt.step();
    }
    const { tensors, metadata } = decodeSafetensors(
      saveCheckpoint({ model, optimizer: opt, metadata: { epoch: '1' } }),
    );
    return { model, tensors, metadata };
  }

  it('Adam: torch.optim.Adam state names, indexed as model.parameters() (named_parameters order)', () => {
    const { model, tensors, metadata } = trained((m) => new Adam(m.parameters(), { lr: 1e-3 }));
    const keys = Object.keys(tensors);
    const modelKeys = keys.filter((k) => k.startsWith('model.')).map((k) => k.slice(6));
    expect(modelKeys.sort()).toEqual(Object.keys(model.stateDict()).sort());
    const params = model.namedParameters();
    const optim = keys.filter((k) => k.startsWith('optim.'));
    const names = params.flatMap((_, i) => [
      `optim.${i}.step`,
      `optim.${i}.exp_avg`,
      `optim.${i}.exp_avg_sq`,
    ]);
    expect(optim.sort()).toEqual(names.sort());
    params.forEach(([, p], i) => {
      expect(tensors[`optim.${i}.exp_avg`].shape).toEqual(p.shape);
      expect(tensors[`optim.${i}.exp_avg`].dtype).toBe('F32');
      expect(tensors[`optim.${i}.step`]).toMatchObject({ shape: [], dtype: 'F64' });
      expect(tensors[`optim.${i}.step`].data[0]).toBe(2);
    });
    expect(keys.every((k) => k.startsWith('model.') || k.startsWith('optim.'))).toBe(true);
    expect(JSON.parse(metadata['selfnorm.optimizer'])).toEqual({
      type: 'Adam',
      options: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false },
    });
    expect(metadata.epoch).toBe('1');
  });

  it("SGD with momentum: torch.optim.SGD's momentum_buffer", () => {
    const { tensors, metadata } = trained((m) => new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 }));
    const first = Object.keys(tensors).filter((k) => k.startsWith('optim.0.'));
    expect(first.sort()).toEqual(['optim.0.momentum_buffer', 'optim.0.step']);
    expect(JSON.parse(metadata['selfnorm.optimizer']).options).toEqual({
      lr: 0.1,
      momentum: 0.9,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
    });
  });
});
