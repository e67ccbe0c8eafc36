import { fromBinary } from '@bufbuild/protobuf';
import { Rng } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from '../layers/activations';
import { BatchNorm2d } from '../layers/batch-norm-2d';
import { Conv1d, Conv2d } from '../layers/conv';
import { FeatureAlphaDropout } from '../layers/feature-alpha-dropout';
import { Flatten } from '../layers/flatten';
import { Linear } from '../layers/linear';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../layers/pooling';
import { SELU } from '../layers/selu';
import { Sequential } from '../layers/sequential';
import { exportOnnx } from './export';
import { ModelProtoSchema } from './onnx-pb';
import { expectOnnxMatches } from './ort-check';

const ops = (bytes: Uint8Array) =>
  fromBinary(ModelProtoSchema, bytes)
    .graph!.node.map((n) => n.opType)
    .join(' ');

describe('exportOnnx: convolution and pooling layers run by ONNX Runtime match selfnorm', () => {
  it("apps/train's CNN shape: Conv, Selu, MaxPool ×2, FeatureAlphaDropout, Flatten, Gemm", async () => {
    const rng = new Rng(3);
    const model = new Sequential(
      new Conv2d(1, 4, 3, { padding: 1, rng }),
      new SELU(),
      new MaxPool2d(2),
      new Conv2d(4, 6, 3, { padding: 1, rng }),
      new SELU(),
      new MaxPool2d(2),
      new FeatureAlphaDropout({ rate: 0.1, rng }),
      new Flatten(),
      new Linear(6 * 7 * 7, 10, { rng }),
    );
    const { bytes, worst } = await expectOnnxMatches(
      model,
      { inputShape: [1, 1, 28, 28] },
      { rng, batches: [1, 3] },
    );
    expect(worst).toBeLessThan(1e-5);
    expect(ops(bytes)).toBe('Conv Selu MaxPool Conv Selu MaxPool Reshape Gemm');
  });

  it("stride, dilation, groups, 'same' with an even kernel, BatchNorm2d, ceilMode and padded pools", async () => {
    const rng = new Rng(4);
    const model = new Sequential(
      new Conv2d(2, 4, [3, 2], { stride: [2, 1], dilation: [1, 2], padding: [1, 0], rng }),
      new BatchNorm2d(4),
      new ReLU(),
      new Conv2d(4, 4, [2, 4], { padding: 'same', groups: 2, rng }),
      new MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
      new AvgPool2d(2, { stride: 1, padding: 1, countIncludePad: false }),
      new AdaptiveAvgPool2d(1),
    );
    const { bytes } = await expectOnnxMatches(model, { inputShape: [1, 2, 11, 10] }, { rng });
    expect(ops(bytes)).toBe('Conv BatchNormalization Relu Conv MaxPool AveragePool GlobalAveragePool');
  });

  it('Conv1d and an adaptive pool that divides (AveragePool)', async () => {
    const rng = new Rng(5);
    const conv1 = new Sequential(new Conv1d(3, 5, 4, { padding: 'same', dilation: 2, rng }), new SELU());
    expect(ops((await expectOnnxMatches(conv1, { inputShape: [1, 3, 17] }, { rng })).bytes)).toBe(
      'Conv Selu',
    );
    const pool = new Sequential(new AdaptiveAvgPool2d([2, 3]));
    expect(ops((await expectOnnxMatches(pool, { inputShape: [1, 2, 6, 9] }, { rng })).bytes)).toBe(
      'AveragePool',
    );
  });

  it('an adaptive pool whose sizes do not divide is refused, naming the layer and the sizes', () => {
    expect(() => exportOnnx(new Sequential(new AdaptiveAvgPool2d(2)), { inputShape: [1, 1, 5, 5] })).toThrow(
      'AdaptiveAvgPool2d(2) at 0: the input 5×5 is not a multiple of the output 2×2',
    );
  });
});
