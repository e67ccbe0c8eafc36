import { create, toBinary } from '@bufbuild/protobuf';
import { Module } from '../module';
import { type Dim, floatValueInfo, GraphBuilder } from './graph';
import { ModelProtoSchema } from './onnx-pb';
import { describeModule, traceChain } from './trace';

/** Options of `exportOnnx`. */
export interface ExportOnnxOptions {
  /**
   * The shape of one input, batch dimension first, e.g. `[1, 784]`. The model is traced once on zeros of this shape
   * (with `dynamicBatch`, once more with a batch one larger); with `dynamicBatch` its first entry is only the trace's
   * batch size.
   */
  inputShape: readonly number[];
  /** The graph input's name. Default 'input'. */
  inputName?: string;
  /** The graph output's name. Default 'output'. */
  outputName?: string;
  /** The ONNX operator set (default domain), from 13 to 23. Default 17. */
  opset?: number;
  /** Export the first dimension of the input and output as the symbolic dimension 'batch'. Default true. */
  dynamicBatch?: boolean;
}

/** The lowest IR version each supported opset needs (ONNX's docs/Versioning.md), what the file declares. */
const IR_VERSION: Record<number, number> = {
  13: 7,
  14: 7,
  15: 8,
  16: 8,
  17: 8,
  18: 8,
  19: 9,
  20: 9,
  21: 10,
  22: 10,
  23: 11,
};
const KNOWN_OPTIONS = new Set(['inputShape', 'inputName', 'outputName', 'opset', 'dynamicBatch']);

/** A value for an error message, cut to about 100 characters. */
function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

function checkOptions(options: ExportOnnxOptions): Required<ExportOnnxOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`exportOnnx: options must be an object with inputShape, got ${show(options)}`);
  }
  for (const k of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(k)) {
      throw new TypeError(
        `exportOnnx: unknown option '${k}'; the options are ${[...KNOWN_OPTIONS].join(', ')}`,
      );
    }
  }
  const { inputShape, inputName = 'input', outputName = 'output', opset = 17, dynamicBatch = true } = options;
  if (
    !Array.isArray(inputShape) ||
    inputShape.length === 0 ||
    !inputShape.every((d) => Number.isSafeInteger(d) && d > 0)
  ) {
    throw new TypeError(
      `exportOnnx: options.inputShape must be a non-empty array of positive integers (batch first, e.g. [1, 784]), got ${show(inputShape)}`,
    );
  }
  for (const [key, name] of [
    ['inputName', inputName],
    ['outputName', outputName],
  ] as const) {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`exportOnnx: options.${key} must be a non-empty string, got ${show(name)}`);
    }
  }
  if (inputName === outputName) {
    throw new RangeError(
      `exportOnnx: options.inputName and options.outputName are both '${inputName}'; name them apart`,
    );
  }
  if (!(typeof opset === 'number' && Object.hasOwn(IR_VERSION, opset))) {
    throw new RangeError(`exportOnnx: options.opset must be an integer from 13 to 23, got ${show(opset)}`);
  }
  if (typeof dynamicBatch !== 'boolean') {
    throw new TypeError(`exportOnnx: options.dynamicBatch must be true or false, got ${show(dynamicBatch)}`);
  }
  return { inputShape: [...inputShape], inputName, outputName, opset, dynamicBatch };
}

/**
 * Exports a model's eval-mode computation as an ONNX model (the bytes of a ModelProto, for ONNX Runtime in servers,
 * browsers and phones): `writeFileSync('model.onnx', exportOnnx(model, { inputShape: [1, 784] }))`.
 *
 * Exported layers: Linear (Gemm; MatMul + Add for inputs of rank ≠ 2), SELU (ONNX `Selu`, α = SELU_ALPHA,
 * γ = SELU_LAMBDA), ReLU, ELU, Tanh, Identity, Dropout and AlphaDropout (the identity in eval mode: no node),
 * FeatureAlphaDropout (likewise), BatchNorm1d and BatchNorm2d (BatchNormalization with the running statistics),
 * LayerNorm (LayerNormalization, opset ≥ 17), Embedding (Gather of the weight at Cast(input, int64): the float32
 * input holds the integer indices), Flatten (Reshape), and Sequential or any module whose forward only chains these.
 * The model is traced once on zeros of `inputShape` in eval mode (its modules' `training`
 * flags are restored); a module it cannot export is an error naming the module and its path (`layers.3 (MyLayer)`).
 *
 * Weights become float32 initializers named by their state-dict names (`0.weight`). A float64 model is exported as
 * float32: its weights are rounded, and the graph's input and output are float32 (ONNX Runtime's CPU kernels for
 * Selu and Elu exist for float32 only). SELU's α and γ are float32 attributes, as every ONNX float attribute is.
 *
 * The bytes are encoded with @bufbuild/protobuf from the official ONNX schema (onnx.proto3): a conformance-tested,
 * tree-shakable protobuf runtime without `eval`, so the export also runs in a browser. Pure bytes: no file access.
 * Source: https://onnx.ai/onnx/ (the ONNX IR and operators).
 * @example
 * const bytes = exportOnnx(model, { inputShape: [1, 784] }); // input 'input' [batch, 784] → output 'output' [batch, 10]
 */
export function exportOnnx(model: Module, options: ExportOnnxOptions): Uint8Array {
  if (!(model instanceof Module))
    throw new TypeError(`exportOnnx: model must be a Module, got ${show(model)}`);
  const { inputShape, inputName, outputName, opset, dynamicBatch } = checkOptions(options);
  const { steps, output } = traceChain(model, inputShape);
  const batch = inputShape[0];
  const outShape = [...output.shape];
  if (dynamicBatch) {
    const larger = [batch + 1, ...inputShape.slice(1)];
    const origin =
      '(a batch one larger than options.inputShape, to check the batch dimension; pass dynamicBatch: false for a fixed batch)';
    const again = traceChain(model, larger, origin).output.shape;
    const keepsBatch =
      outShape.length >= 1 &&
      outShape[0] === batch &&
      again.length === outShape.length &&
      again[0] === batch + 1 &&
      again.every((d, i) => i === 0 || d === outShape[i]);
    if (!keepsBatch) {
      throw new RangeError(
        `exportOnnx: the model's output does not keep the batch dimension (input [${inputShape}] gives [${outShape}], ` +
          `a batch of ${batch + 1} gives [${again}]); pass dynamicBatch: false`,
      );
    }
  }
  const graph = new GraphBuilder([inputName, outputName]);
  let value = inputName;
  for (const { module, path, rule, inputShape: shape } of steps) {
    try {
      value = rule({ module, path, input: value, inputShape: shape, graph, opset });
    } catch (e) {
      throw new Error(
        `exportOnnx: cannot export ${describeModule(path, module)}: ${e instanceof Error ? e.message : e}`,
      );
    }
  }
  if (value === inputName) graph.node('Identity', [inputName], 'model');
  graph.renameOutput(value === inputName ? graph.nodes.at(-1)!.output[0] : value, outputName);
  const dims = (shape: readonly number[]): Dim[] =>
    shape.map((d, i) => (dynamicBatch && i === 0 ? 'batch' : d));
  const proto = create(ModelProtoSchema, {
    irVersion: BigInt(IR_VERSION[opset]),
    opsetImport: [{ domain: '', version: BigInt(opset) }],
    producerName: 'selfnorm',
    docString: `${model.constructor.name} exported by @selfnorm/nn exportOnnx (eval mode)`,
    graph: {
      name: model.constructor.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [floatValueInfo(inputName, dims(inputShape))],
      output: [floatValueInfo(outputName, dims(outShape))],
    },
  });
  return toBinary(ModelProtoSchema, proto);
}
