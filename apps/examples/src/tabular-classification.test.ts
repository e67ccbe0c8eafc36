import { describe, expect, it } from 'vitest';
import { runTabular } from './tabular-classification';

describe('the tabular classification example', () => {
  it('trains a deep SNN to a good validation AUC, stops early, and its saved weights score on the test split', () => {
    const lines: string[] = [];
    const r = runTabular({ log: (line) => lines.push(line) });
    expect(r.bestValidationAuc).toBeGreaterThan(0.85);
    // The weights saved at the best epoch and loaded into a fresh model score about as well on held-out data.
    expect(r.testAuc).toBeGreaterThan(0.82);
    expect(r.epochs).toBeLessThanOrEqual(40);
    expect(r.bestEpoch).toBeLessThanOrEqual(r.epochs);
    // 8 SELU layers, each at mean ≈ 0 and variance ≈ 1 over the first epoch (standardized inputs, LeCun init).
    expect(r.firstEpochMoments.length).toBe(8);
    for (const m of r.firstEpochMoments) {
      expect(Math.abs(m.mean)).toBeLessThan(0.25);
      expect(m.variance).toBeGreaterThan(0.6);
      expect(m.variance).toBeLessThan(1.6);
    }
    expect(r.maxGradNorm).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^epoch 1: train loss \d\.\d{4}, validation AUC 0\.\d{4}, lr /);
    expect(lines.at(-1)).toMatch(
      /^best epoch \d+ \(validation AUC 0\.\d+\); test AUC of the saved weights 0\.\d+$/,
    );
  }, 300_000); // a whole training run, sharing two cores with the rest of CI: a guard against a hang
});
