import { fromBinary } from '@bufbuild/protobuf';
import { Rng, randn, type Tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { heNormal, lecunNormal } from '../init';
import { ReLU } from '../layers/activations';
import { AlphaDropout } from '../layers/alpha-dropout';
import { BatchNorm1d } from '../layers/batch-norm';
import { Dropout } from '../layers/dropout';
import { Linear } from '../layers/linear';
import { SELU } from '../layers/selu';
import { crossEntropy } from '../losses';
import { Module } from '../module';
import { SGD } from '../optim/sgd';
import { ModelProtoSchema } from './onnx-pb';
import { expectOnnxMatches } from './ort-check';

// The model of apps/train (apps/train/src/model.ts), module for module: a library test cannot import an app, so this
// is a copy of its structure (fields, order, layers). Keep the two in step.
type Activation = 'selu' | 'relu' | 'relu-bn';

class HiddenBlock extends Module {
  readonly linear: Linear;
  readonly norm: BatchNorm1d | null;
  readonly act: Module;
  readonly drop: Module | null;

  constructor(inputs: number, width: number, activation: Activation, dropout: number, rng: Rng) {
    super();
    const selu = activation === 'selu';
    this.linear = new Linear(inputs, width, { init: selu ? lecunNormal({ rng }) : heNormal({ rng }) });
    this.norm = activation === 'relu-bn' ? new BatchNorm1d(width) : null;
    this.act = selu ? new SELU() : new ReLU();
    this.drop =
      dropout === 0
        ? null
        : selu
          ? new AlphaDropout({ rate: dropout, rng })
          : new Dropout({ rate: dropout, rng });
  }

  forward(x: Tensor): Tensor {
    const z = this.linear.forward(x);
    const a = this.act.forward(this.norm ? this.norm.forward(z) : z);
    return this.drop ? this.drop.forward(a) : a;
  }
}

class Mlp extends Module {
  readonly blocks: HiddenBlock[] = [];
  readonly head: Linear;

  constructor(depth: number, width: number, activation: Activation, dropout: number, rng: Rng) {
    super();
    for (let i = 0; i < depth; i++)
      this.blocks.push(new HiddenBlock(i === 0 ? 784 : width, width, activation, dropout, rng));
    this.head = new Linear(width, 10, { init: lecunNormal({ rng }) });
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const block of this.blocks) h = block.forward(h);
    return this.head.forward(h);
  }
}

/** A few SGD steps in training mode (dropout active, BatchNorm's running statistics moving). */
function train(model: Module, rng: Rng): void {
  const optimizer = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  for (let step = 0; step < 3; step++) {
    const x = randn([32, 784], { rng });
    const labels = Array.from({ length: 32 }, (_, i) => i % 10);
    optimizer.zeroGrad();
    crossEntropy(model.forward(x), labels).backward();
    optimizer.step();
  }
}

describe("exportOnnx: apps/train's MLP run by ONNX Runtime matches selfnorm", () => {
  it('the deep SNN (784 → 8 × [Linear, SELU, AlphaDropout] of 256 → 10), trained a few steps', async () => {
    const rng = new Rng(5);
    const model = new Mlp(8, 256, 'selu', 0.05, rng);
    train(model, rng);
    const { bytes, worst } = await expectOnnxMatches(
      model,
      { inputShape: [1, 784] },
      { rng, batches: [1, 64], scale: 1 },
    );
    expect(worst).toBeLessThan(1e-5);
    const graph = fromBinary(ModelProtoSchema, bytes).graph!;
    expect(graph.node.map((n) => n.opType).join(' ')).toBe(`${'Gemm Selu '.repeat(8)}Gemm`);
    expect(graph.initializer.map((t) => t.name)).toEqual(Object.keys(model.stateDict()));
    expect(model.training).toBe(true);
  });

  it('the relu-bn variant (Linear, BatchNorm1d, ReLU, Dropout) with the running statistics', async () => {
    const rng = new Rng(6);
    const model = new Mlp(3, 64, 'relu-bn', 0.1, rng);
    train(model, rng);
    const { bytes } = await expectOnnxMatches(
      model,
      { inputShape: [1, 784] },
      { rng, batches: [2, 9], scale: 1 },
    );
    const names = fromBinary(ModelProtoSchema, bytes).graph!.initializer.map((t) => t.name);
    const params = Object.keys(model.stateDict()).filter((k) => !k.endsWith('num_batches_tracked'));
    expect(names).toEqual(params);
  });
});
