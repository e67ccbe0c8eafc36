import { describe, expect, it } from 'vitest';
import type { CompareMetrics, RunMetrics } from './metrics.ts';
import { TRAIN_DEFAULTS } from './options.ts';
import { buildCompareReport, buildRunReport } from './report.ts';

function fakeRun(depth: number, epochs: number): RunMetrics {
  const m: RunMetrics = {
    options: { ...TRAIN_DEFAULTS, depth },
    parameters: 12345,
    epochs: [],
    steps: [],
    layerStats: [],
    totalSeconds: 12.5,
  };
  for (let e = 1; e <= epochs; e++) {
    m.epochs.push({
      epoch: e,
      trainLoss: 1 / e,
      testLoss: 1.2 / e,
      testAccuracy: 0.9 + e / 100,
      seconds: 2,
      samplesPerSecond: 500,
    });
    for (let s = 0; s < 4; s++)
      m.steps.push({ step: (e - 1) * 4 + s + 1, epoch: e - 1 + (s + 1) / 4, loss: 1.1 / (e + s / 4) });
  }
  for (let step = 0; step <= epochs * 4; step += 4) {
    for (let layer = 1; layer <= depth; layer++) {
      m.layerStats.push({ step, epoch: step / 4, layer, mean: 0.01 * layer, variance: 1 - 0.001 * layer });
    }
  }
  return m;
}

describe('buildRunReport', () => {
  it('is one self-contained HTML page with six SVG plots and the numbers', async () => {
    const html = await buildRunReport(fakeRun(8, 3));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(6);
    for (const title of [
      'Cross-entropy loss',
      'Test accuracy',
      'Activation mean of each hidden layer during training',
      'Activation variance of each hidden layer during training',
      'Activation variance by depth',
    ]) {
      expect(html).toContain(title);
    }
    expect(html).toContain('93.00 %'); // the final accuracy, 0.9 + 3/100
    expect(html).toContain('<h1>8 × 256 SNN (SELU, LeCun normal, AlphaDropout 0.05) on MNIST</h1>');
    expect(html).toContain('12,345 parameters');
    // Nothing loads from the network at view time.
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(http/);
    // The loss chart draws lines (path elements) for its three series.
    expect(html).toContain('running train loss');
    expect(html.match(/<path /g)?.length ?? 0).toBeGreaterThan(10);
  });

  it('charts ω and τ of each layer beside mean and variance when the run recorded them', async () => {
    const m = fakeRun(4, 2);
    m.layerStats.forEach((s) => {
      s.omega = 0.02 * s.layer;
      s.tau = 1 + 0.05 * s.step;
    });
    const html = await buildRunReport(m);
    expect(html.match(/<svg /g)?.length).toBe(8);
    expect(html).toContain("ω = n·mean(w) of each hidden layer's weights during training");
    expect(html).toContain("τ = n·mean(w²) of each hidden layer's weights during training");
  });

  it('survives a diverged run (NaN losses are left out of the log-scale chart)', async () => {
    const m = fakeRun(2, 2);
    m.options = { ...m.options, activation: 'relu-bn', dropout: 0 };
    m.epochs[1].trainLoss = Number.NaN;
    m.steps[5].loss = Number.POSITIVE_INFINITY;
    const html = await buildRunReport(m);
    expect(html.match(/<svg /g)?.length).toBe(6);
    expect(html).toContain('NaN');
    expect(html).toContain('ReLU + BatchNorm (He normal, no dropout)');
  });
});

describe('buildCompareReport', () => {
  it('draws one panel per depth with both networks and a table row per run', async () => {
    const runs: CompareMetrics['runs'] = [];
    for (const depth of [8, 16]) {
      for (const activation of ['selu', 'relu-bn'] as const) {
        const base = activation === 'selu' ? 0.5 : 1;
        runs.push({
          depth,
          activation,
          seconds: 3,
          epochs: [1, 2, 3].map((e) => ({
            epoch: e,
            trainLoss: base / e,
            testLoss: 1,
            testAccuracy: 0.8,
            seconds: 1,
            samplesPerSecond: 10,
          })),
        });
      }
    }
    const html = await buildCompareReport({
      options: {
        depths: [8, 16],
        width: 32,
        dropout: 0,
        epochs: 3,
        batchSize: 128,
        lr: 0.01,
        seed: 1,
        trainLimit: 1000,
        testLimit: 100,
      },
      runs,
      totalSeconds: 12,
    });
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).toContain('8 hidden layers');
    expect(html).toContain('16 hidden layers');
    expect(html).toContain('SNN (SELU)');
    expect(html).toContain('ReLU + BatchNorm');
    expect(html).toContain('(log scale)');
    expect(html.match(/<tr>/g)?.length).toBe(5);
  });
});

describe('buildRunReport: what a reader needs to see first', () => {
  it('says that mean 0 / variance 1 is the state at initialization, above the charts, with the measured ranges', async () => {
    const m = fakeRun(4, 2);
    for (const s of m.layerStats) if (s.step > 0) s.variance = 3 + s.layer;
    const html = await buildRunReport(m);
    const headline = html.indexOf('Mean 0 and variance 1 in every layer is the state at initialization');
    expect(headline).toBeGreaterThan(0);
    expect(headline).toBeLessThan(html.indexOf('<svg '));
    expect(html).toContain('at step 8, mean 0.01 … 0.04, variance 4 … 7.');
  });

  it('shows an epoch that diverged, with a warning, instead of dropping it', async () => {
    const m = fakeRun(2, 1);
    m.diverged = { epoch: 2, step: 7, loss: 'NaN', split: 'train' };
    const html = await buildRunReport(m);
    expect(html).toContain(
      'The run diverged in epoch 2: the training loss was NaN at step 7. That epoch was not saved and is not in the ' +
        'charts; checkpoint.safetensors holds epoch 1, the last good one, and best.safetensors the best epoch.',
    );
    expect(html.indexOf('class="warning"')).toBeLessThan(html.indexOf('<svg '));
    expect(html).toContain('after 1 epoch; ');
    expect(html).toContain('<tr><td>2</td><td>NaN (diverged)</td><td>–</td><td>not saved</td>');
  });
});

describe('buildRunReport: axes', () => {
  it('gives the epoch axes integer ticks (no 1.2, 1.4 for a 3-epoch run)', async () => {
    const html = await buildRunReport(fakeRun(3, 3));
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g)!;
    // The x-axis labels of the first four charts (loss, accuracy, layer mean, layer variance).
    for (const svg of svgs.slice(0, 4)) {
      const xLabels = [
        ...svg.matchAll(/<text text-anchor="middle" transform="translate\([\d.]+,15\)"[^>]*>([^<]*)</g),
      ].map((m) => m[1]);
      expect(xLabels.length).toBeGreaterThan(1);
      for (const t of xLabels) expect(t).toMatch(/^\d+$/);
    }
  });
});
