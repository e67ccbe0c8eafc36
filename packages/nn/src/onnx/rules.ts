import { SELU_ALPHA, SELU_LAMBDA } from '@selfnorm/tensor';
import { ELU, Identity, ReLU, Tanh } from '../layers/activations';
import { AlphaDropout } from '../layers/alpha-dropout';
import { BatchNorm1d, type BatchNormBase } from '../layers/batch-norm';
import { BatchNorm2d } from '../layers/batch-norm-2d';
import { Dropout } from '../layers/dropout';
import { Embedding } from '../layers/embedding';
import { FeatureAlphaDropout } from '../layers/feature-alpha-dropout';
import { Flatten } from '../layers/flatten';
import { LayerNorm } from '../layers/layer-norm';
import { Linear } from '../layers/linear';
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
