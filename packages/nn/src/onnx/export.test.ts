import { fromBinary } from '@bufbuild/protobuf';
import { Rng, randint, randn, SELU_ALPHA, SELU_LAMBDA } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { ELU, Identity, ReLU, Tanh } from '../layers/activations';
import { AlphaDropout } from '../layers/alpha-dropout';
import { BatchNorm1d } from '../layers/batch-norm';
import { BatchNorm2d } from '../layers/batch-norm-2d';
import { Dropout } from '../layers/dropout';
import { Embedding } from '../layers/embedding';
import { FeatureAlphaDropout } from '../layers/feature-alpha-dropout';
import { Flatten } from '../layers/flatten';
import { LayerNorm } from '../layers/layer-norm';
import { Linear } from '../layers/linear';
import { SELU } from '../layers/selu';
import { Sequential } from '../layers/sequential';
import type { Module } from '../module';
import { exportOnnx } from './export';
import { AttributeProto_AttributeType, ModelProtoSchema, TensorProto_DataType } from './onnx-pb';
import { expectOnnxMatches, runOnnx } from './ort-check';

const rng = new Rng(17);

/** BatchNorm1d with running statistics away from (0, 1): a few training batches of N(1.5, 3²). */
function trainedBatchNorm(c: number, options: ConstructorParameters<typeof BatchNorm1d>[1] = {}, rank = 2) {
  const bn = new BatchNorm1d(c, { momentum: 0.5, ...options });
  for (let i = 0; i < 4; i++)
    bn.forward(
      randn(rank === 2 ? [16, c] : [16, c, 5], { rng })
        .mul(3)
        .add(1.5),
    );
  if (bn.weight !== undefined && bn.bias !== undefined) {
    bn.weight.data.set(randn([c], { rng }).data);
    bn.bias.data.set(randn([c], { rng }).data);
  }
  return bn;
}

/** BatchNorm2d with running statistics away from (0, 1) and a random scale and shift. */
function trainedBatchNorm2d(c: number, options: ConstructorParameters<typeof BatchNorm2d>[1] = {}) {
  const bn = new BatchNorm2d(c, { momentum: 0.5, ...options });
  for (let i = 0; i < 4; i++) bn.forward(randn([8, c, 3, 4], { rng }).mul(3).add(1.5));
  if (bn.weight !== undefined && bn.bias !== undefined) {
    bn.weight.data.set(randn([c], { rng }).data);
    bn.bias.data.set(randn([c], { rng }).data);
  }
  return bn;
}

/** LayerNorm with a random elementwise scale and shift. */
function affineLayerNorm(shape: number[]) {
  const ln = new LayerNorm(shape);
  ln.weight!.data.set(randn(shape, { rng }).data);
  ln.bias!.data.set(randn(shape, { rng }).data);
  return ln;
}

const cases: [string, () => Module, number[]][] = [
  ['Linear (Gemm)', () => new Linear(6, 4, { rng }), [1, 6]],
  ['Linear without bias', () => new Linear(6, 4, { rng, bias: false }), [1, 6]],
  ['Linear on a 3-D input (MatMul + Add)', () => new Linear(6, 4, { rng }), [1, 5, 6]],
  ['SELU', () => new SELU(), [1, 9]],
  ['ReLU', () => new ReLU(), [1, 9]],
  ['ELU (alpha 0.7)', () => new ELU({ alpha: 0.7 }), [1, 9]],
  ['Tanh', () => new Tanh(), [1, 9]],
  ['Identity', () => new Identity(), [1, 9]],
  ['Dropout (identity in eval)', () => new Dropout({ rate: 0.5, rng }), [1, 9]],
  ['AlphaDropout (identity in eval)', () => new AlphaDropout({ rate: 0.2, rng }), [1, 9]],
  ['BatchNorm1d [N, C]', () => trainedBatchNorm(5), [1, 5]],
  ['BatchNorm1d [N, C, L]', () => trainedBatchNorm(5, {}, 3), [1, 5, 4]],
  ['BatchNorm1d without affine', () => trainedBatchNorm(5, { affine: false }), [1, 5]],
  ['BatchNorm2d [N, C, H, W]', () => trainedBatchNorm2d(3), [1, 3, 4, 5]],
  ['BatchNorm2d without affine', () => trainedBatchNorm2d(3, { affine: false }), [1, 3, 2, 2]],
  ['FeatureAlphaDropout (identity in eval)', () => new FeatureAlphaDropout({ rate: 0.2, rng }), [1, 3, 2, 2]],
  ['LayerNorm over the last dim (LayerNormalization)', () => affineLayerNorm([6]), [1, 5, 6]],
  ['LayerNorm over the last two dims', () => affineLayerNorm([3, 4]), [1, 3, 4]],
  [
    'LayerNorm without elementwiseAffine',
    () => new LayerNorm([4], { elementwiseAffine: false, eps: 1e-3 }),
    [1, 4],
  ],
  [
    'a small CNN head: BatchNorm2d → SELU → FeatureAlphaDropout → Flatten → Linear → LayerNorm',
    () =>
      new Sequential(
        trainedBatchNorm2d(2),
        new SELU(),
        new FeatureAlphaDropout({ rate: 0.1, rng }),
        new Flatten(),
        new Linear(18, 5, { rng }),
        affineLayerNorm([5]),
      ),
    [1, 2, 3, 3],
  ],
  ['Flatten', () => new Flatten(), [1, 2, 3, 4]],
  ['Flatten(startDim 2)', () => new Flatten({ startDim: 2 }), [1, 2, 3, 4]],
  ['Flatten(1, -2)', () => new Flatten({ startDim: 1, endDim: -2 }), [1, 2, 3, 4]],
  [
    'nested Sequential',
    () =>
      new Sequential(
        new Flatten(),
        new Linear(12, 8, { rng }),
        new SELU(),
        new AlphaDropout({ rate: 0.1, rng }),
        new Sequential(new Linear(8, 8, { rng }), trainedBatchNorm(8), new ReLU()),
        new Linear(8, 3, { rng }),
      ),
    [1, 3, 4],
  ],
];

describe('exportOnnx: each layer run by ONNX Runtime matches selfnorm in eval mode', () => {
  for (const [name, make, inputShape] of cases) {
    it(`${name}, batches of 3 and 7 through one dynamic-batch model`, async () => {
      const model = make();
      model.train(); // exportOnnx exports eval mode whatever the mode
      const { worst } = await expectOnnxMatches(model, { inputShape }, { rng });
      expect(worst).toBeLessThan(1e-5);
      expect(model.training).toBe(true);
    });
  }

  it('SELU is one Selu node with alpha = SELU_ALPHA and gamma = SELU_LAMBDA (as float32)', () => {
    const proto = fromBinary(ModelProtoSchema, exportOnnx(new SELU(), { inputShape: [1, 4] }));
    const [node] = proto.graph!.node;
    expect(node.opType).toBe('Selu');
    const attrs = Object.fromEntries(node.attribute.map((a) => [a.name, a]));
    expect(attrs.alpha.type).toBe(AttributeProto_AttributeType.FLOAT);
    expect(attrs.alpha.f).toBe(Math.fround(SELU_ALPHA));
    expect(attrs.gamma.f).toBe(Math.fround(SELU_LAMBDA));
  });

  it('exports a float64 model as float32 (ONNX Runtime has no float64 Selu or Elu)', async () => {
    const model = new Sequential(
      new Linear(6, 5, { rng, dtype: 'float64' }),
      new SELU(),
      new Linear(5, 2, { rng, dtype: 'float64' }),
    );
    const bytes = exportOnnx(model, { inputShape: [1, 6] });
    const proto = fromBinary(ModelProtoSchema, bytes);
    expect(proto.graph!.initializer.map((t) => t.dataType)).toEqual(
      Array(4).fill(TensorProto_DataType.FLOAT),
    );
    const x = randn([4, 6], { rng, dtype: 'float64' });
    const got = await runOnnx(bytes, x);
    const expected = model.eval().forward(x).data;
    for (let i = 0; i < expected.length; i++) expect(Math.abs(got.data[i] - expected[i])).toBeLessThan(1e-5);
  });
});

describe('exportOnnx: Embedding and LayerNorm', () => {
  /** Token ids of `shape` in [0, 10), as the float32 values the graph's input takes. */
  const tokens = (shape: number[]) => randint(0, 10, shape, { rng });

  it('Embedding: Gather of the weight at Cast(input, INT64), any index shape, matches ONNX Runtime', async () => {
    const emb = new Embedding(10, 4, { rng, paddingIdx: 0 });
    for (const inputShape of [[1], [1, 6], [1, 2, 3]]) {
      const { bytes, worst } = await expectOnnxMatches(emb, { inputShape }, { rng, sample: tokens });
      expect(worst).toBe(0); // a lookup: the same float32 values
      const g = fromBinary(ModelProtoSchema, bytes).graph!;
      expect(g.node.map((n) => n.opType)).toEqual(['Cast', 'Gather']);
      expect(g.node[0].attribute.map((a) => [a.name, a.i])).toEqual([
        ['to', BigInt(TensorProto_DataType.INT64)],
      ]);
      expect(g.initializer.map((t) => [t.name, t.dims.map(Number)])).toEqual([['weight', [10, 4]]]);
    }
  });

  it('Embedding → LayerNorm → Flatten → Linear → SELU, a dynamic batch', async () => {
    const model = new Sequential(
      new Embedding(10, 4, { rng }),
      affineLayerNorm([4]),
      new Flatten(),
      new Linear(24, 3, { rng }),
      new SELU(),
    );
    const { bytes, worst } = await expectOnnxMatches(model, { inputShape: [1, 6] }, { rng, sample: tokens });
    expect(worst).toBeLessThan(1e-5);
    expect(fromBinary(ModelProtoSchema, bytes).graph!.node.map((n) => n.opType)).toEqual([
      'Cast',
      'Gather',
      'LayerNormalization',
      'Reshape',
      'Gemm',
      'Selu',
    ]);
  });

  it('LayerNorm: axis = −len(normalizedShape) and epsilon as attributes; opsets 17 to 23 run', async () => {
    const model = new Sequential(affineLayerNorm([3, 4]), new SELU());
    const proto = fromBinary(ModelProtoSchema, exportOnnx(model, { inputShape: [1, 3, 4] }));
    const ln = proto.graph!.node[0];
    expect(ln.input).toEqual(['input', '0.weight', '0.bias']);
    const attrs = Object.fromEntries(ln.attribute.map((a) => [a.name, a]));
    expect(attrs.axis.i).toBe(-2n);
    expect(attrs.epsilon.f).toBe(Math.fround(1e-5));
    for (let opset = 17; opset <= 23; opset++)
      await expectOnnxMatches(model, { inputShape: [1, 3, 4], opset }, { rng, batches: [2] });
  });

  it('LayerNorm below opset 17 is refused, naming the layer, the opset and the fix', () => {
    const model = new Sequential(new Linear(4, 4, { rng }), new LayerNorm(4));
    expect(() => exportOnnx(model, { inputShape: [1, 4], opset: 16 })).toThrow(
      'exportOnnx: cannot export 1 (LayerNorm): LayerNorm becomes ONNX LayerNormalization, which opset 17 ' +
        'introduced; got opset 16, export with opset >= 17',
    );
  });

  it('BatchNorm2d without running statistics is refused like BatchNorm1d', () => {
    expect(() =>
      exportOnnx(new BatchNorm2d(2, { trackRunningStats: false }), { inputShape: [1, 2, 3, 3] }),
    ).toThrow(
      'exportOnnx: cannot export the model (BatchNorm2d): BatchNorm2d with trackRunningStats: false normalizes',
    );
  });
});

describe('exportOnnx: the file', () => {
  const model = () => new Sequential(new Linear(4, 3, { rng }), new SELU(), new Linear(3, 2, { rng }));

  it('holds the opset, the IR version it needs, a symbolic batch and the weights under their state-dict names', () => {
    const m = model();
    const proto = fromBinary(ModelProtoSchema, exportOnnx(m, { inputShape: [1, 4], opset: 13 }));
    expect(proto.irVersion).toBe(7n);
    expect(proto.opsetImport.map((o) => [o.domain, o.version])).toEqual([['', 13n]]);
    expect(proto.producerName).toBe('selfnorm');
    const g = proto.graph!;
    expect(g.node.map((n) => n.opType)).toEqual(['Gemm', 'Selu', 'Gemm']);
    expect(g.initializer.map((t) => [t.name, t.dims.map(Number)])).toEqual([
      ['0.weight', [3, 4]],
      ['0.bias', [3]],
      ['2.weight', [2, 3]],
      ['2.bias', [2]],
    ]);
    const w = g.initializer[0];
    const raw = new Float32Array(w.rawData.slice().buffer);
    expect([...raw]).toEqual([...m.at(0).stateDict().weight.data]);
    const dims = (v: (typeof g.input)[0]) =>
      v.type!.value.case === 'tensorType' ? v.type!.value.value.shape!.dim.map((d) => d.value.value) : [];
    expect(g.input.map((v) => [v.name, dims(v)])).toEqual([['input', ['batch', 4n]]]);
    expect(g.output.map((v) => [v.name, dims(v)])).toEqual([['output', ['batch', 2n]]]);
    expect(proto.graph!.node.at(-1)!.output).toEqual(['output']);
  });

  it('takes the names, the opset and a fixed batch from the options', async () => {
    const m = model();
    const options = {
      inputShape: [5, 4],
      inputName: 'pixels',
      outputName: 'logits',
      opset: 21,
      dynamicBatch: false,
    };
    const { bytes } = await expectOnnxMatches(m, options, { rng, batches: [5] });
    const proto = fromBinary(ModelProtoSchema, bytes);
    expect(proto.irVersion).toBe(10n);
    const input = proto.graph!.input[0];
    expect(input.name).toBe('pixels');
    expect(input.type!.value.case === 'tensorType' && input.type!.value.value.shape!.dim[0].value).toEqual({
      case: 'dimValue',
      value: 5n,
    });
  });

  it('every supported opset (13 to 23) runs in ONNX Runtime', async () => {
    const m = new Sequential(
      new Flatten(),
      new Linear(6, 4, { rng }),
      trainedBatchNorm(4),
      new SELU(),
      new ELU(),
    );
    for (let opset = 13; opset <= 23; opset++)
      await expectOnnxMatches(m, { inputShape: [1, 2, 3], opset }, { rng, batches: [2] });
  });

  it('a model that computes nothing still has an output (an Identity node)', async () => {
    const { bytes } = await expectOnnxMatches(
      new Sequential(new Dropout({ rate: 0.3, rng })),
      { inputShape: [1, 3] },
      { rng },
    );
    expect(fromBinary(ModelProtoSchema, bytes).graph!.node.map((n) => n.opType)).toEqual(['Identity']);
  });

  it('a layer called twice shares its initializers', async () => {
    const shared = new Linear(4, 4, { rng });
    const { bytes } = await expectOnnxMatches(
      new Sequential(shared, new Tanh(), shared),
      { inputShape: [1, 4] },
      { rng },
    );
    expect(fromBinary(ModelProtoSchema, bytes).graph!.initializer.map((t) => t.name)).toEqual([
      '0.weight',
      '0.bias',
    ]);
  });

  it('leaves the model as it was: modes restored per module, no forward left on the instances', () => {
    const inner = new Dropout({ rate: 0.5, rng });
    const m = new Sequential(new Linear(3, 3, { rng }), inner);
    inner.eval();
    exportOnnx(m, { inputShape: [1, 3] });
    expect([m.training, m.at(0).training, inner.training]).toEqual([true, true, false]);
    expect(m.modules().map((x) => Object.hasOwn(x, 'forward'))).toEqual([false, false, false]);
  });

  it('is deterministic: the same model gives the same bytes', () => {
    const m = model();
    expect(exportOnnx(m, { inputShape: [1, 4] })).toEqual(exportOnnx(m, { inputShape: [1, 4] }));
  });
});
