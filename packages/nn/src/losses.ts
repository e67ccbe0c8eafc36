import {
  cast,
  checkTensor,
  describeValue,
  gather,
  logSoftmax,
  mean,
  mul,
  neg,
  reshape,
  softplus,
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

/**
 * Checks `reduction` first, then computes the per-element values and combines them: a bad reduction is
 * refused before anything is recorded on the graph.
 */
function reduce(reduction: Reduction | undefined, where: string, values: () => Tensor): Tensor {
  const r = reduction ?? 'mean';
  if (r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new TypeError(
      `${where}: reduction must be 'mean', 'sum' or 'none', got ${describeValue(reduction)}`,
    );
  }
  const v = values();
  return r === 'mean' ? mean(v) : r === 'sum' ? sum(v) : v;
}

function sameShape(a: Tensor, b: Tensor, where: string): void {
  checkTensor(a, where, 'input');
  checkTensor(b, where, 'target');
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(
      `${where}: input has shape [${a.shape}] but target has shape [${b.shape}]; they must match`,
    );
  }
}

/**
 * The class indices as an [N, 1] tensor of the scores' dtype, for `gather` along the class axis; each must be an
 * integer in [0, C). Picking the entry (rather than multiplying by a one-hot mask) keeps a logit of −∞ in another
 * class from making −∞·0 = NaN. A tensor of targets becomes the index by tensor ops (reshape, cast); an array
 * becomes a tensor once.
 * NOTE: the check that every target is an integer in [0, C) reads the targets on the host, once per call (the
 * error names the first bad one); nothing else here reads values.
 */
function targetIndex(scores: Tensor, targets: ClassTargets, where: string): Tensor {
  checkTensor(scores, where, 'input');
  if (scores.ndim !== 2)
    throw new RangeError(`${where}: expected input of shape [N, C], got [${scores.shape}]`);
  const [n, c] = scores.shape;
  if (targets instanceof Tensor && targets.ndim !== 1) {
    throw new RangeError(
      `${where}: targets must be class indices of shape [${n}], got shape [${targets.shape}]`,
    );
  }
  const indices = targets instanceof Tensor ? targets.storage : targets; // the one host read (see NOTE)
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    throw new TypeError(
      `${where}: targets must be a Tensor of shape [${n}] or an array of ${n} class indices, got ${describeValue(targets)}`,
    );
  }
  if (indices.length !== n)
    throw new RangeError(`${where}: ${n} rows of scores but ${indices.length} targets`);
  for (let i = 0; i < n; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= c) {
      throw new RangeError(
        `${where}: target[${i}] is ${typeof k === 'number' ? k : describeValue(k)}, but there are ${c} classes ` +
          `(class indices must be integers in 0..${c - 1})`,
      );
    }
  }
  const index =
    targets instanceof Tensor
      ? targets.detach()
      : tensor(Array.from(indices), { dtype: scores.dtype, device: scores.device });
  return reshape(cast(index, scores.dtype), [n, 1]);
}

/** −scores[i, index[i]] for each row i, as a tensor of shape [N]. */
function negativePicked(scores: Tensor, index: Tensor): Tensor {
  return neg(reshape(gather(scores, 1, index), [scores.shape[0]]));
}

/**
 * The negative log-likelihood of integer class targets, given log-probabilities: −logProbs[i, targets[i]].
 * Source: PyTorch's `nn.functional.nll_loss`.
 * @example nllLoss(logSoftmax(logits), [3, 0, 7]) // mean over the 3 rows
 */
export function nllLoss(logProbs: Tensor, targets: ClassTargets, { reduction }: LossOptions = {}): Tensor {
  const index = targetIndex(logProbs, targets, 'nllLoss');
  return reduce(reduction, 'nllLoss', () => negativePicked(logProbs, index));
}

/**
 * Cross-entropy of unnormalized logits [N, C] against integer class targets:
 * −log softmax(logits)[i, targets[i]] = logSumExp(logits[i]) − logits[i, targets[i]]. Computed through logSoftmax,
 * so logits of ±1e8 (float32 too) give finite values and gradients, and a logit of −∞ in another class is allowed.
 * Source: PyTorch's `nn.functional.cross_entropy` (class-index targets).
 * @example crossEntropy(model.forward(x), labels) // a scalar, the mean over the batch
 */
export function crossEntropy(logits: Tensor, targets: ClassTargets, options: LossOptions = {}): Tensor {
  checkTensor(logits, 'crossEntropy', 'logits');
  if (logits.ndim !== 2)
    throw new RangeError(`crossEntropy: expected logits of shape [N, C], got [${logits.shape}]`);
  // Targets are checked before anything is recorded, so a bad call leaves no graph behind.
  const index = targetIndex(logits, targets, 'crossEntropy');
  return reduce(options.reduction, 'crossEntropy', () => negativePicked(logSoftmax(logits, -1), index));
}

/**
 * Mean squared error: (input − target)², reduced. Shapes must match exactly (no broadcasting, unlike a silent
 * PyTorch warning).
 * @example mseLoss(prediction, target, { reduction: 'sum' })
 */
export function mseLoss(input: Tensor, target: Tensor, { reduction }: LossOptions = {}): Tensor {
  sameShape(input, target, 'mseLoss');
  return reduce(reduction, 'mseLoss', () => square(sub(input, target)));
}

/**
 * Binary cross-entropy on logits x with targets y in [0, 1], as softplus(x) − x·y (softplus is evaluated as
 * max(x, 0) + log1p(e^(−|x|)), which never exponentiates a positive number). Its gradient is σ(x) − y at every
 * x, 0 included, and it is smooth at any order (BCE''(0) = 0.25).
 * Source: PyTorch's `nn.functional.binary_cross_entropy_with_logits`.
 * @example binaryCrossEntropyWithLogits(logits, labels) // labels of 0s and 1s, same shape as logits
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  targets: Tensor,
  { reduction }: LossOptions = {},
): Tensor {
  sameShape(logits, targets, 'binaryCrossEntropyWithLogits');
  return reduce(reduction, 'binaryCrossEntropyWithLogits', () => sub(softplus(logits), mul(logits, targets)));
}
