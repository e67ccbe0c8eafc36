import { argmax, noGrad, Tensor } from '@selfnorm/tensor';
import type { ClassTargets } from './losses';
import { preview } from './serialize/preview';

function classIndices(targets: ClassTargets, n: number, where: string, name: string): ArrayLike<number> {
  const values = targets instanceof Tensor ? targets.storage : targets;
  if (targets instanceof Tensor && targets.ndim !== 1)
    throw new RangeError(`${where}: ${name} must have shape [N], got [${targets.shape}]`);
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number')
    throw new TypeError(`${where}: ${name} must be a tensor of shape [N] or an array of N class indices`);
  if (values.length !== n)
    throw new RangeError(`${where}: ${name} has ${values.length} entries, but there are ${n} samples`);
  return values;
}

/** Predicted classes: the argmax of [N, C] scores, or N class indices as given. */
function predictedClasses(predictions: Tensor | ArrayLike<number>, where: string): ArrayLike<number> {
  if (predictions instanceof Tensor && predictions.ndim === 2)
    return noGrad(() => argmax(predictions, 1)).storage;
  const n = predictions instanceof Tensor ? predictions.size : (predictions as ArrayLike<number>)?.length;
  return classIndices(predictions, n, where, 'predictions');
}

/**
 * The fraction of samples whose highest score is their target class: `logits` of shape [N, C] (or any scores
 * ordered like them, such as probabilities), `targets` N class indices. Ties go to the lowest class, as argmax.
 * @example accuracy(model.forward(x), y); // 0.97
 */
export function accuracy(logits: Tensor, targets: ClassTargets): number {
  const where = 'accuracy';
  if (!(logits instanceof Tensor) || logits.ndim !== 2 || logits.shape[0] === 0)
    throw new RangeError(
      `${where}: logits must be a tensor of shape [N, C] with N > 0, got ${logits instanceof Tensor ? `[${logits.shape}]` : typeof logits}`,
    );
  const predicted = predictedClasses(logits, where);
  const truth = classIndices(targets, logits.shape[0], where, 'targets');
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) right++;
  return right / predicted.length;
}

/** Options of `confusionMatrix`. */
export interface ConfusionMatrixOptions {
  /** The number of classes C. */
  numClasses: number;
}

/**
 * Counts of (true class, predicted class) pairs as a C × C array: row i, column j holds how many samples of
 * class i were predicted as class j (scikit-learn's convention). `predictions` are [N, C] scores (their argmax
 * is taken) or N class indices.
 * @example confusionMatrix(model.forward(x), y, { numClasses: 10 })[3][5]; // threes taken for fives
 */
export function confusionMatrix(
  predictions: Tensor | ArrayLike<number>,
  targets: ClassTargets,
  { numClasses }: ConfusionMatrixOptions,
): number[][] {
  const where = 'confusionMatrix';
  if (!Number.isSafeInteger(numClasses) || numClasses <= 0)
    throw new RangeError(`${where}: numClasses must be a positive integer, got ${preview(numClasses)}`);
  if (predictions instanceof Tensor && predictions.ndim === 2 && predictions.shape[1] !== numClasses)
    throw new RangeError(
      `${where}: predictions have ${predictions.shape[1]} scores per sample, but numClasses is ${numClasses}`,
    );
  const predicted = predictedClasses(predictions, where);
  const truth = classIndices(targets, predicted.length, where, 'targets');
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < predicted.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    for (const [name, v] of [
      ['targets', t],
      ['predictions', p],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= numClasses)
        throw new RangeError(`${where}: ${name}[${i}] is ${v}, but classes are 0..${numClasses - 1}`);
    }
    m[t][p] += 1;
  }
  return m;
}

/**
 * The area under the ROC curve of binary `scores` (higher means class 1) against `targets` (0 or 1): the
 * probability that a random positive scores above a random negative, ties counting one half (the
 * Mann–Whitney U statistic; equal to scikit-learn's `roc_auc_score`). The SNN paper reports it on Tox21 and
 * HTRU2. It is undefined, and an error, when the targets hold one class only.
 * @example rocAuc(model.forward(x).reshape([-1]), y); // 0.93
 */
export function rocAuc(scores: Tensor | ArrayLike<number>, targets: ClassTargets): number {
  const where = 'rocAuc';
  if (scores instanceof Tensor && !(scores.ndim === 1 || (scores.ndim === 2 && scores.shape[1] === 1)))
    throw new RangeError(`${where}: scores must have shape [N] or [N, 1], got [${scores.shape}]`);
  const s = scores instanceof Tensor ? scores.storage : scores;
  if (s === null || typeof s !== 'object' || typeof s.length !== 'number')
    throw new TypeError(`${where}: scores must be a tensor of shape [N] or an array of N numbers`);
  const y = classIndices(targets, s.length, where, 'targets');
  const order = Array.from({ length: s.length }, (_, i) => i);
  for (let i = 0; i < s.length; i++) {
    if (Number.isNaN(s[i])) throw new RangeError(`${where}: scores[${i}] is NaN`);
    if (y[i] !== 0 && y[i] !== 1)
      throw new RangeError(`${where}: targets[${i}] is ${y[i]}; targets must be 0 or 1`);
  }
  order.sort((a, b) => (s[a] < s[b] ? -1 : s[a] > s[b] ? 1 : 0));
  let positives = 0;
  let rankSum = 0; // Σ of the (1-based, tie-averaged) ranks of the positives
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && s[order[j + 1]] === s[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[order[k]] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = s.length - positives;
  if (positives === 0 || negatives === 0)
    throw new RangeError(
      `${where}: targets hold only class ${positives === 0 ? 0 : 1}; ROC AUC needs samples of both classes`,
    );
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
