import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors } from '@selfnorm/nn';
import { noGrad, Rng, randn } from '@selfnorm/tensor';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { compareRun } from './compare.ts';
import type { CompareMetrics, RunMetrics } from './metrics.ts';
import { Mlp } from './model.ts';
import { TRAIN_DEFAULTS, type TrainOptions } from './options.ts';
import type { ProgressSink } from './progress.ts';
import { freshRunDir, RUN_FILES, resumeRun, trainRun } from './run.ts';

const root = mkdtempSync(join(tmpdir(), 'train-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lines: string[] = [];
const quiet = {
  log: (l: string) => lines.push(l),
  progressOut: { write: () => true, isTTY: false } as ProgressSink,
};

/** A tiny configuration: fast, but every part of the pipeline runs. */
function tiny(over: Partial<TrainOptions>): TrainOptions {
  return {
    ...TRAIN_DEFAULTS,
    depth: 2,
    width: 16,
    epochs: 2,
    trainLimit: 300,
    testLimit: 100,
    statsEvery: 3,
    batchSize: 32,
    out: undefined,
    ...over,
  };
}

function tensors(dir: string) {
  return loadSafetensors(readFileSync(join(dir, RUN_FILES.checkpoint))).tensors;
}

describe('trainRun', () => {
  it('learns MNIST from a small subset far better than chance (10 %)', async () => {
    const out = join(root, 'learn');
    const { metrics } = await trainRun(
      tiny({ depth: 8, width: 64, epochs: 3, trainLimit: 3000, testLimit: 1000, batchSize: 64, out }),
      quiet,
    );
    const acc = metrics.epochs[metrics.epochs.length - 1].testAccuracy;
    expect(acc).toBeGreaterThan(0.75);
    expect(metrics.epochs[2].trainLoss).toBeLessThan(metrics.epochs[0].trainLoss);
    // At initialization, eight SELU layers on real (standardized) MNIST sit near mean 0, variance 1.
    const start = metrics.layerStats.filter((s) => s.step === 0);
    expect(start.length).toBe(8);
    for (const s of start) {
      expect(Math.abs(s.mean)).toBeLessThan(0.15);
      expect(Math.abs(s.variance - 1)).toBeLessThan(0.3);
    }
    // The folder holds the checkpoint, the best weights, the metrics, the settings, a report with its eight
    // SVG plots, the trained network as ONNX, and a .gitignore that keeps it all out of git.
    expect(readdirSync(out).sort()).toEqual([
      '.gitignore',
      'best.safetensors',
      'checkpoint.safetensors',
      'config.json',
      'metrics.json',
      'model.onnx',
      'report.html',
    ]);
    const html = readFileSync(join(out, RUN_FILES.report), 'utf8');
    expect(html.match(/<svg /g)?.length).toBe(8);
    expect(html).toContain('τ = n·mean(w²)');
    expect(html).toContain('model.onnx');
    expect(html).toContain('Activation variance of each hidden layer during training');
    const saved = JSON.parse(readFileSync(join(out, RUN_FILES.metrics), 'utf8')) as RunMetrics;
    expect(saved.epochs.map((e) => e.testAccuracy)).toEqual(metrics.epochs.map((e) => e.testAccuracy));
    expect(lines.some((l) => l.startsWith('done: test accuracy'))).toBe(true);
    // ONNX Runtime runs model.onnx to the trained model's eval-mode logits.
    const model = new Mlp(metrics.options, new Rng(0), new Rng(0));
    model.loadStateDict(
      Object.fromEntries(
        Object.entries(tensors(out)).flatMap(([k, t]) => (k.startsWith('model.') ? [[k.slice(6), t]] : [])),
      ),
    );
    model.eval();
    const x = randn([3, 784], { rng: new Rng(5) });
    const session = await ort.InferenceSession.create(readFileSync(join(out, RUN_FILES.onnx)));
    const result = await session.run({ input: new ort.Tensor('float32', x.data as Float32Array, [3, 784]) });
    const expected = noGrad(() => model.forward(x)).data;
    const got = result.output.data as Float32Array;
    const scale = Math.max(...Array.from(expected, Math.abs));
    expected.forEach((v, i) => {
      expect(Math.abs(got[i] - v)).toBeLessThanOrEqual(1e-5 * scale);
    });
  });

  it('skips model.onnx with --no-onnx', async () => {
    const out = join(root, 'no-onnx');
    await trainRun(tiny({ epochs: 1, out }), { ...quiet, writeOnnx: false });
    expect(readdirSync(out)).not.toContain('model.onnx');
  });

  /** Trains `straight` without a break and `split` in two sessions; both must end bit-identical. */
  async function expectSameEnd(straight: string, split: string) {
    const a = tensors(straight);
    const b = tensors(split);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(Object.keys(a).some((k) => k.startsWith('optim.'))).toBe(true);
    for (const k of Object.keys(a)) expect([...b[k].data], k).toEqual([...a[k].data]);
    const ma = JSON.parse(readFileSync(join(straight, RUN_FILES.metrics), 'utf8')) as RunMetrics;
    const mb = JSON.parse(readFileSync(join(split, RUN_FILES.metrics), 'utf8')) as RunMetrics;
    const strip = (m: RunMetrics) =>
      m.epochs.map(({ trainLoss, testLoss, testAccuracy }) => [trainLoss, testLoss, testAccuracy]);
    expect(strip(mb)).toEqual(strip(ma));
    expect(mb.layerStats).toEqual(ma.layerStats);
    expect(mb.steps).toEqual(ma.steps);
    return a;
  }

  it('resume after an interruption (SNN, AlphaDropout, cosine schedule) ends bit-identical to a straight run', async () => {
    const straight = join(root, 'straight-selu');
    const split = join(root, 'split-selu');
    const options = { activation: 'selu', dropout: 0.1, schedule: 'cosine', epochs: 2 } as const;
    await trainRun(tiny({ ...options, out: straight }), quiet);
    const stop = new AbortController();
    await trainRun(tiny({ ...options, out: split }), {
      ...quiet,
      signal: stop.signal,
      onEpoch: () => stop.abort(),
    });
    expect(
      lines.some(
        (l) => l === `stopped after epoch 1 of 2; continue with: npx -y pnpm@12.4.2 train --resume ${split}`,
      ),
    ).toBe(true);
    expect(JSON.parse(readFileSync(join(split, RUN_FILES.metrics), 'utf8')).epochs.length).toBe(1);
    await resumeRun(split, undefined, quiet);
    await expectSameEnd(straight, split);
  });

  it('resume with more --epochs (ReLU + BatchNorm, constant lr) ends bit-identical to a straight run', async () => {
    const straight = join(root, 'straight-bn');
    const split = join(root, 'split-bn');
    const options = { activation: 'relu-bn', dropout: 0.1, schedule: 'constant' } as const;
    await trainRun(tiny({ ...options, epochs: 2, out: straight }), quiet);
    await trainRun(tiny({ ...options, epochs: 1, out: split }), quiet);
    await resumeRun(split, 2, quiet);
    const a = await expectSameEnd(straight, split);
    expect(Object.keys(a).some((k) => k.includes('running_mean'))).toBe(true);
  });

  it('refuses to resume to fewer epochs than done, or a folder without a run', async () => {
    const dir = join(root, 'straight-selu'); // written by the resume test: 2 epochs done
    await expect(resumeRun(dir, 1, quiet)).rejects.toThrow(
      /has done 2 epochs already; give --epochs 2 or more/,
    );
    await expect(resumeRun(root, undefined, quiet)).rejects.toThrow(
      /config.json is missing; give a run folder/,
    );
  });
});

describe('compareRun', () => {
  it('trains SNN and ReLU+BatchNorm at each depth with SGD and writes the Figure 1 report', async () => {
    const out = join(root, 'compare');
    const { metrics } = await compareRun(
      {
        depths: [2, 4],
        width: 16,
        dropout: 0,
        epochs: 2,
        batchSize: 32,
        lr: 0.01,
        seed: 3,
        trainLimit: 200,
        testLimit: 50,
        out,
      },
      quiet,
    );
    expect(metrics.runs.map((r) => [r.depth, r.activation, r.epochs.length])).toEqual([
      [2, 'selu', 2],
      [2, 'relu-bn', 2],
      [4, 'selu', 2],
      [4, 'relu-bn', 2],
    ]);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)?.length).toBe(2);
    const saved = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as CompareMetrics;
    expect(saved.runs.length).toBe(4);
  });
});

describe('freshRunDir', () => {
  it('names a folder under runs/ by UTC time and seed', () => {
    expect(freshRunDir(7, '', new Date('2026-01-02T03:04:05Z'))).toBe(
      join('runs', '2026-01-02T03-04-05-seed7'),
    );
    expect(freshRunDir(7, 'compare-', new Date('2026-01-02T03:04:05Z'), '/home/u')).toBe(
      '/home/u/runs/compare-2026-01-02T03-04-05-seed7',
    );
  });
});
