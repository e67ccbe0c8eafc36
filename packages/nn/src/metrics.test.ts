import { tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, rocAuc } from './metrics';

describe('accuracy', () => {
  it('is the fraction of rows whose argmax is the target', () => {
    const logits = tensor([
      [0.1, 2, 0],
      [3, 1, 0],
      [0, 0, 5],
      [1, 1, 0], // a tie goes to class 0
    ]);
    expect(accuracy(logits, [1, 0, 1, 0])).toBe(0.75);
    expect(accuracy(logits, tensor([1, 0, 2, 1]))).toBe(0.75);
    expect(() => accuracy(logits, [1, 0])).toThrow(/targets has 2 entries, but there are 4 samples/);
    expect(() => accuracy(tensor([1, 2]), [0, 1])).toThrow(/logits must be a tensor of shape \[N, C\]/);
  });
});

describe('confusionMatrix', () => {
  it('counts (true, predicted) pairs, rows true (scikit-learn)', () => {
    expect(confusionMatrix([0, 2, 1, 1, 0], [0, 1, 1, 2, 0], { numClasses: 3 })).toEqual([
      [2, 0, 0],
      [0, 1, 1],
      [0, 1, 0],
    ]);
    const scores = tensor([
      [5, 0],
      [0, 5],
    ]);
    expect(confusionMatrix(scores, [1, 1], { numClasses: 2 })).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(() => confusionMatrix([0, 3], [0, 1], { numClasses: 3 })).toThrow(
      /predictions\[1\] is 3, but classes are 0..2/,
    );
  });
});

describe('rocAuc', () => {
  it('matches scikit-learn roc_auc_score, ties counting one half', () => {
    // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    // roc_auc_score([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]) = 0.875
    expect(rocAuc(tensor([0.5, 0.5, 0.2, 0.9]), tensor([0, 1, 0, 1]))).toBe(0.875);
    expect(rocAuc([1, 2, 3], [1, 0, 0])).toBe(0);
    expect(rocAuc([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY], [0, 1])).toBe(1);
  });
  it('is undefined for one class, and refuses non-binary targets', () => {
    expect(() => rocAuc([0.1, 0.2], [1, 1])).toThrow(
      /targets hold only class 1; ROC AUC needs samples of both classes/,
    );
    expect(() => rocAuc([0.1, 0.2], [0, 2])).toThrow(/targets\[1\] is 2; targets must be 0 or 1/);
  });
});
