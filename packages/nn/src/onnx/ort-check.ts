// Test helper, Node only (imported by the *.test.ts files beside it, never by the library): runs an exported model
// in ONNX Runtime for Node and compares it with selfnorm's eval-mode forward.
import { noGrad, type Rng, randn, type Tensor } from '@selfnorm/tensor';
import { expectClose } from '@selfnorm/tensor/testing';
import * as ort from 'onnxruntime-node';
import type { Module } from '../module';
import { type ExportOnnxOptions, exportOnnx } from './export';

/** Runs `bytes` in ONNX Runtime on one float32 input; returns the output's dims and values. */
export async function runOnnx(
  bytes: Uint8Array,
  input: Tensor,
  { inputName = 'input', outputName = 'output' } = {},
): Promise<{ dims: number[]; data: Float32Array }> {
  const session = await ort.InferenceSession.create(bytes);
  const data = Float32Array.from(input.data);
  const result = await session.run({ [inputName]: new ort.Tensor('float32', data, [...input.shape]) });
  const out = result[outputName];
  return { dims: [...out.dims], data: out.data as Float32Array };
}

/**
 * Exports `model`, runs it in ONNX Runtime on random N(0, scale²) inputs (or `sample(shape)`) of each batch size, and checks each output
 * against selfnorm's eval-mode output to 1e-5 relative: max |onnx − selfnorm| ≤ 1e-5 · max |selfnorm| (the ∞-norm
 * relative error; elementwise, a logit near 0 of a deep float32 network differs by more than 1e-5 of itself between
 * any two summation orders). Returns the bytes and the largest relative error seen.
 */
export async function expectOnnxMatches(
  model: Module,
  options: ExportOnnxOptions,
  {
    rng,
    batches = [3, 7],
    scale = 2,
    sample,
  }: { rng: Rng; batches?: number[]; scale?: number; sample?: (shape: number[]) => Tensor },
): Promise<{ bytes: Uint8Array; worst: number }> {
  const bytes = exportOnnx(model, options);
  let worst = 0;
  for (const batch of batches) {
    const shape = [batch, ...options.inputShape.slice(1)];
    const x = sample === undefined ? randn(shape, { rng }).mul(scale) : sample(shape);
    const wasTraining = model.training;
    model.eval();
    const expected = noGrad(() => model.forward(x));
    model.train(wasTraining);
    const got = await runOnnx(bytes, x, options);
    if (got.dims.join() !== expected.shape.join()) {
      throw new Error(`ONNX output has shape [${got.dims}], selfnorm's [${expected.shape}]`);
    }
    let scaleOut = 0;
    for (let i = 0; i < expected.data.length; i++) scaleOut = Math.max(scaleOut, Math.abs(expected.data[i]));
    expectClose(got.data, expected.data, { rtol: 0, atol: 1e-5 * Math.max(scaleOut, Number.MIN_VALUE) });
    for (let i = 0; i < got.data.length; i++) {
      worst = Math.max(worst, Math.abs(got.data[i] - expected.data[i]) / (scaleOut || 1));
    }
  }
  return { bytes, worst };
}
