import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng } from '@selfnorm/tensor';
import type { CompareMetrics, CompareRun, EpochMetrics } from './metrics.ts';
import { loadMnist } from './mnist.ts';
import type { CompareOptions } from './options.ts';
import { formatDuration, ProgressBar } from './progress.ts';
import { buildCompareReport } from './report.ts';
import { freshRunDir, type RunIo } from './run.ts';
import { atomicWriter } from './run-folder.ts';
import { writeStep } from './run-save.ts';
import { DivergedError, splitRngs, Trainer } from './train.ts';

/**
 * Figure 1 of the paper, scaled down: trains an SNN (SELU, LeCun normal) and a ReLU + BatchNorm network
 * (He normal) at each depth with plain SGD, the same data, batches and seed, and writes metrics.json and
 * one report with their training-loss curves per depth (log scale).
 * Source: Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017, Figure 1.
 *
 * @example
 * await compareRun({ ...COMPARE_DEFAULTS, out: undefined }, { log: console.log });
 */
export async function compareRun(
  options: CompareOptions,
  io: RunIo,
): Promise<{ out: string; metrics: CompareMetrics }> {
  const { out: outOption, ...settings } = options;
  const out = resolve(outOption ?? freshRunDir(settings.seed, 'compare-'));
  mkdirSync(out, { recursive: true });
  // Run folders do not belong in git; a write error names the file (writeStep).
  writeStep(atomicWriter, join(out, '.gitignore'), '*\n', 'nothing was trained yet');
  const data = loadMnist({ trainLimit: settings.trainLimit, testLimit: settings.testLimit });
  const metrics: CompareMetrics = { options: settings, runs: [], totalSeconds: 0 };
  const start = performance.now();
  io.log(
    `comparing SNN and ReLU+BatchNorm at depths ${settings.depths.join(', ')}: width ${settings.width}, ` +
      `SGD lr ${settings.lr}, batch ${settings.batchSize}, ${settings.epochs} epochs on ${data.train.count} images`,
  );
  for (const depth of settings.depths) {
    for (const activation of ['selu', 'relu-bn'] as const) {
      const name = `${activation === 'selu' ? 'SNN' : 'ReLU+BN'} depth ${depth}`;
      const trainer = new Trainer(
        data,
        {
          depth,
          width: settings.width,
          activation,
          dropout: activation === 'selu' ? settings.dropout : 0,
          batchSize: settings.batchSize,
          lr: settings.lr,
          optimizer: 'sgd',
          momentum: 0,
          schedule: 'constant',
          epochs: settings.epochs,
          statsEvery: 0,
        },
        splitRngs(new Rng(settings.seed)),
      );
      const run: CompareRun = { depth, activation, epochs: [], seconds: 0 };
      metrics.runs.push(run);
      const t0 = performance.now();
      for (let e = 1; e <= settings.epochs; e++) {
        const label = `${name} epoch ${e}/${settings.epochs}`;
        const bar = new ProgressBar({ label, total: data.train.count, out: io.progressOut });
        let m: EpochMetrics;
        try {
          m = await trainer.trainEpoch(bar);
        } catch (err) {
          if (!(err instanceof DivergedError)) throw err;
          bar.finish();
          io.log(`${name}: ${err.message}; stopping this network (its curve ends at epoch ${e - 1}).`);
          run.diverged = { epoch: err.epoch, step: err.step, loss: String(err.loss), split: err.split };
          break;
        }
        run.epochs.push(m);
        bar.finish();
        io.log(
          `${label}  train loss ${m.trainLoss.toFixed(4)}  test acc ${(100 * m.testAccuracy).toFixed(2)} %`,
        );
      }
      run.seconds = (performance.now() - t0) / 1000;
      metrics.totalSeconds = (performance.now() - start) / 1000;
      const safe = 'the files hold the networks before this one';
      writeStep(atomicWriter, join(out, 'metrics.json'), JSON.stringify(metrics), safe);
      writeStep(atomicWriter, join(out, 'report.html'), await buildCompareReport(metrics), safe);
    }
  }
  io.log(`done in ${formatDuration(metrics.totalSeconds)}; wrote ${out}/{metrics.json,report.html}`);
  return { out, metrics };
}
