import {
  abs,
  add,
  exp,
  log,
  logSoftmax,
  mean,
  mul,
  neg,
  relu,
  square,
  sub,
  sum,
  Tensor,
  tensor,
} from '@selfnorm/tensor';

/** How a loss combines its per-element values: their mean (the default), their sum, or none (keep them all). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options shared by every loss. */
export interface LossOptions {
  /** Default 'mean'. */
  reduction?: Reduction;
}

/** Class indices: a tensor of shape [N], or a plain array (or typed array) of N integers. */
export type ClassTargets = Tensor | ArrayLike<number>;

function reduce(values: Tensor, reduction: Reduction | undefined, where: string): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean':
      return mean(values);
    case 'sum':
      return sum(values);
    case 'none':
      return values;
    default:
      throw new TypeError(
        `${where}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`,
      );
  }
}

function sameShape(a: Tensor, b: Tensor, where: string): void {
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(
      `${where}: input has shape [${a.shape}] but target has shape [${b.shape}]; they must match`,
    );
  }
}

/** A constant [N, C] tensor with 1 at (i, targets[i]): selects each row's target class. */
function targetMask(scores: Tensor, targets: ClassTargets, where: string): Tensor {
  if (scores.ndim !== 2)
    throw new RangeError(`${where}: expected input of shape [N, C], got [${scores.shape}]`);
  const [n, c] = scores.shape;
  const indices = targets instanceof Tensor ? targets.data : targets;
  if (targets instanceof Tensor && targets.ndim !== 1) {
    throw new RangeError(
      `${where}: targets must be class indices of shape [${n}], got shape [${targets.shape}]`,
    );
  }
  if (indices.length !== n)
    throw new RangeError(`${where}: ${n} rows of scores but ${indices.length} targets`);
  const mask = scores.dtype === 'float64' ? new Float64Array(n * c) : new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= c) {
      throw new RangeError(`${where}: target ${i} is ${k}; class indices must be integers in [0, ${c})`);
    }
    mask[i * c + k] = 1;
  }
  return tensor(mask, { shape: [n, c], dtype: scores.dtype });
}

/**
 * The negative log-likelihood of integer class targets, given log-probabilities: −logProbs[i, targets[i]].
 * Source: PyTorch's `nn.functional.nll_loss`.
 * @example nllLoss(logSoftmax(logits), [3, 0, 7]) // mean over the 3 rows
 */
export function nllLoss(logProbs: Tensor, targets: ClassTargets, { reduction }: LossOptions = {}): Tensor {
  const picked = sum(mul(logProbs, targetMask(logProbs, targets, 'nllLoss')), 1);
  return reduce(neg(picked), reduction, 'nllLoss');
}

/**
 * Cross-entropy of unnormalized logits [N, C] against integer class targets:
 * −log softmax(logits)[i, targets[i]] = logSumExp(logits[i]) − logits[i, targets[i]]. Computed through logSoftmax,
 * so logits of ±1e4 give finite values and gradients.
 * Source: PyTorch's `nn.functional.cross_entropy` (class-index targets).
 * @example crossEntropy(model.forward(x), labels) // a scalar, the mean over the batch
 */
export function crossEntropy(logits: Tensor, targets: ClassTargets, options: LossOptions = {}): Tensor {
  if (logits.ndim !== 2)
    throw new RangeError(`crossEntropy: expected logits of shape [N, C], got [${logits.shape}]`);
  const picked = sum(mul(logSoftmax(logits, -1), targetMask(logits, targets, 'crossEntropy')), 1);
  return reduce(neg(picked), options.reduction, 'crossEntropy');
}

/**
 * Mean squared error: (input − target)², reduced. Shapes must match exactly (no broadcasting, unlike a silent
 * PyTorch warning).
 * @example mseLoss(prediction, target, { reduction: 'sum' })
 */
export function mseLoss(input: Tensor, target: Tensor, { reduction }: LossOptions = {}): Tensor {
  sameShape(input, target, 'mseLoss');
  return reduce(square(sub(input, target)), reduction, 'mseLoss');
}

/**
 * Binary cross-entropy on logits x with targets y in [0, 1], in the stable form
 * max(x, 0) − x·y + log(1 + e^(−|x|)) (never exponentiates a positive number).
 * Source: PyTorch's `nn.functional.binary_cross_entropy_with_logits`.
 * @example binaryCrossEntropyWithLogits(logits, labels) // labels of 0s and 1s, same shape as logits
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  targets: Tensor,
  { reduction }: LossOptions = {},
): Tensor {
  sameShape(logits, targets, 'binaryCrossEntropyWithLogits');
  const values = add(sub(relu(logits), mul(logits, targets)), log(add(exp(neg(abs(logits))), 1)));
  return reduce(values, reduction, 'binaryCrossEntropyWithLogits');
}
