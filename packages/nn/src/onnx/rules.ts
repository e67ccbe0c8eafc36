import { SELU_ALPHA, SELU_LAMBDA } from '@selfnorm/tensor';
import { ELU, Identity, ReLU, Tanh } from '../layers/activations';
import { AlphaDropout } from '../layers/alpha-dropout';
import { BatchNorm1d, type BatchNormBase } from '../layers/batch-norm';
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
import type { Module } from '../module';
import type { GraphBuilder } from './graph';
import { TensorProto_DataType } from './onnx-pb';

/** What a rule is given: the module, where it sits in the model, its input's name and traced shape, the graph. */
export interface RuleContext<M extends Module = Module> {
  module: M;
  /** The module's dotted path in the model ('' for the model itself); also the prefix of its initializers. */
  path: string;
  /** The name of the input value in the graph. */
  input: string;
  /** The input's shape during the trace (its first entry is the trace's batch size). */
  inputShape: readonly number[];
  graph: GraphBuilder;
  /** The ONNX operator set the file declares (default domain). */
  opset: number;
}

/** Adds the ONNX nodes of one eval-mode module call and returns the name of its output value. */
type Rule<M extends Module> = (ctx: RuleContext<M>) => string;

// biome-ignore lint/suspicious/noExplicitAny: a table of rules over module classes with different constructors.
type ModuleClass<M extends Module> = abstract new (...args: any[]) => M;

function prefix(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function scope(path: string): string {
  return path === '' ? 'model' : path;
}

/** y = x·Wᵀ + b: Gemm(transB = 1) for a 2-D input, MatMul(x, Transpose(W)) (+ Add) for any other rank. */
const linearRule: Rule<Linear> = ({ module: m, path, input, inputShape, graph }) => {
  const w = graph.floatInitializer(prefix(path, 'weight'), m.weight);
  const b = m.bias === null ? null : graph.floatInitializer(prefix(path, 'bias'), m.bias);
  if (inputShape.length === 2) {
    return graph.node('Gemm', b === null ? [input, w] : [input, w, b], scope(path), { transB: { int: 1 } });
  }
  const wt = graph.node('Transpose', [w], scope(path), { perm: { ints: [1, 0] } });
  const y = graph.node('MatMul', [input, wt], scope(path));
  return b === null ? y : graph.node('Add', [y, b], scope(path));
};

/**
 * Eval-mode BatchNorm1d / BatchNorm2d: BatchNormalization with the running statistics (ONES / ZEROS when not affine);
 * ONNX normalizes axis 1 of any rank ≥ 2, so [N, C], [N, C, L] and [N, C, H, W] are one rule.
 */
const batchNormRule: Rule<BatchNormBase> = ({ module: m, path, input, graph }) => {
  if (!m.trackRunningStats) {
    throw new Error(
      `${m.constructor.name} with trackRunningStats: false normalizes with the batch statistics in eval mode; ` +
        'exportOnnx exports running statistics only',
    );
  }
  const c = m.numFeatures;
  const scale =
    m.weight === undefined
      ? graph.floatInitializer(prefix(path, 'ones'), { shape: [c], data: new Float32Array(c).fill(1) })
      : graph.floatInitializer(prefix(path, 'weight'), m.weight);
  const bias =
    m.bias === undefined
      ? graph.floatInitializer(prefix(path, 'zeros'), { shape: [c], data: new Float32Array(c) })
      : graph.floatInitializer(prefix(path, 'bias'), m.bias);
  const mean = graph.floatInitializer(prefix(path, 'running_mean'), m.runningMean);
  const variance = graph.floatInitializer(prefix(path, 'running_var'), m.runningVar);
  return graph.node('BatchNormalization', [input, scale, bias, mean, variance], scope(path), {
    epsilon: { float: m.eps },
  });
};

/**
 * LayerNorm: LayerNormalization(x, weight, bias, axis = −len(normalizedShape), epsilon), an ONNX op since opset 17
 * (a ones Scale and no B without elementwiseAffine). Lower opsets would need the decomposed form; they are refused.
 */
const layerNormRule: Rule<LayerNorm> = ({ module: m, path, input, graph, opset }) => {
  if (opset < 17) {
    throw new RangeError(
      `LayerNorm becomes ONNX LayerNormalization, which opset 17 introduced; got opset ${opset}, export with opset >= 17`,
    );
  }
  const d = m.normalizedShape;
  const n = d.reduce((p, k) => p * k, 1);
  const inputs =
    m.weight !== null && m.bias !== null
      ? [
          input,
          graph.floatInitializer(prefix(path, 'weight'), m.weight),
          graph.floatInitializer(prefix(path, 'bias'), m.bias),
        ]
      : [
          input,
          graph.floatInitializer(prefix(path, 'ones'), { shape: d, data: new Float32Array(n).fill(1) }),
        ];
  return graph.node('LayerNormalization', inputs, scope(path), {
    axis: { int: -d.length },
    epsilon: { float: m.eps },
  });
};

/**
 * Embedding: Gather(weight, Cast(indices, INT64), axis 0). The graph's input is float32 like every other (integer
 * values, exact below 2²⁴); the Cast makes it the int64 indices Gather takes, inside the graph.
 */
const embeddingRule: Rule<Embedding> = ({ module: m, path, input, graph }) => {
  const w = graph.floatInitializer(prefix(path, 'weight'), m.weight);
  const ids = graph.node('Cast', [input], scope(path), { to: { int: TensorProto_DataType.INT64 } });
  return graph.node('Gather', [w, ids], scope(path), { axis: { int: 0 } });
};

/** Flatten(startDim, endDim) as Reshape: 0 (copy) for the dimensions before startDim, -1 for the merged ones. */
const flattenRule: Rule<Flatten> = ({ module: m, path, input, inputShape, graph }) => {
  const rank = inputShape.length;
  const start = m.startDim < 0 ? m.startDim + rank : m.startDim;
  const end = m.endDim < 0 ? m.endDim + rank : m.endDim;
  if (rank === 0 || start >= end) return input; // nothing to merge
  const shape = [...inputShape.slice(0, start).map(() => 0), -1, ...inputShape.slice(end + 1)];
  const target = graph.int64Initializer(prefix(path, 'shape'), shape);
  return graph.node('Reshape', [input, target], scope(path));
};

/** `v` (a number or a list) as `dims` integers. */
function perAxis(v: number | readonly number[], dims: number): number[] {
  return typeof v === 'number' ? new Array<number>(dims).fill(v) : [...v];
}

/**
 * Conv1d / Conv2d: Conv(x, W, B) with kernel_shape, strides, dilations, group and explicit pads [begin…, end…]
 * ('same' resolved to PyTorch's split: the odd one at the end).
 */
const convRule: Rule<Conv1d | Conv2d> = ({ module: m, path, input, graph }) => {
  const dims = m.kernelSize.length;
  const o = m.options;
  const dilations = perAxis(o.dilation ?? 1, dims);
  let begin: number[];
  let end: number[];
  if (o.padding === 'same') {
    const total = m.kernelSize.map((k, i) => dilations[i] * (k - 1));
    begin = total.map((t) => Math.floor(t / 2));
    end = total.map((t, i) => t - begin[i]);
  } else
    begin = end = o.padding === 'valid' ? new Array<number>(dims).fill(0) : perAxis(o.padding ?? 0, dims);
  const w = graph.floatInitializer(prefix(path, 'weight'), m.weight);
  const inputs =
    m.bias === null ? [input, w] : [input, w, graph.floatInitializer(prefix(path, 'bias'), m.bias)];
  return graph.node('Conv', inputs, scope(path), {
    kernel_shape: { ints: [...m.kernelSize] },
    strides: { ints: perAxis(o.stride ?? 1, dims) },
    pads: { ints: [...begin, ...end] },
    dilations: { ints: dilations },
    group: { int: o.groups ?? 1 },
  });
};

/** MaxPool2d: MaxPool with kernel_shape, strides (default the kernel), pads, dilations and ceil_mode. */
const maxPoolRule: Rule<MaxPool2d> = ({ module: m, path, input, graph }) => {
  const k = perAxis(m.kernelSize, 2);
  const p = perAxis(m.options.padding ?? 0, 2);
  return graph.node('MaxPool', [input], scope(path), {
    kernel_shape: { ints: k },
    strides: { ints: perAxis(m.options.stride ?? k, 2) },
    pads: { ints: [...p, ...p] },
    dilations: { ints: perAxis(m.options.dilation ?? 1, 2) },
    ceil_mode: { int: m.options.ceilMode ? 1 : 0 },
  });
};

/** AvgPool2d: AveragePool with kernel_shape, strides, pads, ceil_mode and count_include_pad (PyTorch's default 1). */
const avgPoolRule: Rule<AvgPool2d> = ({ module: m, path, input, graph }) => {
  const k = perAxis(m.kernelSize, 2);
  const p = perAxis(m.options.padding ?? 0, 2);
  return graph.node('AveragePool', [input], scope(path), {
    kernel_shape: { ints: k },
    strides: { ints: perAxis(m.options.stride ?? k, 2) },
    pads: { ints: [...p, ...p] },
    ceil_mode: { int: m.options.ceilMode ? 1 : 0 },
    count_include_pad: { int: m.options.countIncludePad === false ? 0 : 1 },
  });
};

/**
 * AdaptiveAvgPool2d: GlobalAveragePool for output 1×1, AveragePool with kernel = stride = input/output when the
 * sizes divide; other sizes have overlapping windows of varying size, which no ONNX op expresses: refused.
 */
const adaptiveAvgPoolRule: Rule<AdaptiveAvgPool2d> = ({ module: m, path, input, inputShape, graph }) => {
  const [oh, ow] = perAxis(m.outputSize, 2);
  const [h, w] = inputShape.slice(-2);
  if (oh === 1 && ow === 1) return graph.node('GlobalAveragePool', [input], scope(path));
  if (h % oh !== 0 || w % ow !== 0) {
    throw new RangeError(
      `AdaptiveAvgPool2d(${JSON.stringify(m.outputSize)}) at ${scope(path)}: the input ${h}×${w} is not a multiple of the output ` +
        `${oh}×${ow}, so its windows overlap and vary in size; exportOnnx exports only sizes that divide`,
    );
  }
  const k = [h / oh, w / ow];
  return graph.node('AveragePool', [input], scope(path), { kernel_shape: { ints: k }, strides: { ints: k } });
};

/** An elementwise ONNX op with fixed attributes. */
function unary<M extends Module>(
  op: string,
  attributes: (m: M) => Parameters<GraphBuilder['node']>[3] = () => ({}),
): Rule<M> {
  return ({ module, path, input, graph }) => graph.node(op, [input], scope(path), attributes(module));
}

/** Dropout, AlphaDropout and FeatureAlphaDropout are the identity in eval mode: no node. */
const identityRule: Rule<Module> = ({ input }) => input;

/**
 * Every module `exportOnnx` can export, with the nodes its eval-mode forward becomes. A module matches when it is an
 * instance of the class and does not override `forward`. Sequential and any other module without a rule are traced
 * through: their forward must only chain the modules below them.
 */
export const RULES: readonly [ModuleClass<Module>, Rule<never>][] = [
  [Linear, linearRule],
  // SELU: ONNX Selu(x) = γ·(α·(eˣ − 1)) for x ≤ 0, γ·x for x > 0, so γ = selfnorm's λ. The attributes are float32.
  [SELU, unary<SELU>('Selu', () => ({ alpha: { float: SELU_ALPHA }, gamma: { float: SELU_LAMBDA } }))],
  [ReLU, unary('Relu')],
  [ELU, unary<ELU>('Elu', (m) => ({ alpha: { float: m.alpha } }))],
  [Tanh, unary('Tanh')],
  [Identity, identityRule],
  [Dropout, identityRule],
  [AlphaDropout, identityRule],
  [FeatureAlphaDropout, identityRule],
  [BatchNorm1d, batchNormRule],
  [BatchNorm2d, batchNormRule],
  [LayerNorm, layerNormRule],
  [Embedding, embeddingRule],
  [Flatten, flattenRule],
  [Conv1d, convRule],
  [Conv2d, convRule],
  [MaxPool2d, maxPoolRule],
  [AvgPool2d, avgPoolRule],
  [AdaptiveAvgPool2d, adaptiveAvgPoolRule],
];

/** The rule of a module (its class's, unless it overrides forward), or undefined: trace through it. */
export function ruleFor(m: Module): Rule<Module> | undefined {
  for (const [cls, rule] of RULES) {
    if (m instanceof cls && m.forward === cls.prototype.forward) return rule as Rule<Module>;
  }
  return undefined;
}

/** The class names `exportOnnx` exports, for error messages. */
export function exportableNames(): string {
  return RULES.map(([cls]) => cls.name).join(', ');
}
