import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCheckpoint, loadSafetensors, saveCheckpoint } from '@selfnorm/nn';
import { Rng } from '@selfnorm/tensor';
import { writeFileAtomic } from './atomic-write.ts';
import type { EpochMetrics, RunMetrics } from './metrics.ts';
import { loadMnist } from './mnist.ts';
import type { TrainOptions } from './options.ts';
import { formatDuration, ProgressBar, type ProgressSink } from './progress.ts';
import { buildRunReport } from './report.ts';
import { splitRngs, Trainer } from './train.ts';

/** Where a run reports to. */
export interface RunIo {
  /** One line of output (epoch summaries, the final summary). */
  log(line: string): void;
  /** Where the progress bar goes (default process.stderr). */
  progressOut?: ProgressSink;
  /** When aborted, the run stops after the epoch in progress is saved (resume it with --resume). */
  signal?: AbortSignal;
  /** Called after each epoch is saved. */
  onEpoch?: (epoch: EpochMetrics) => void;
}

/** The files of a run folder. */
export const RUN_FILES = {
  config: 'config.json',
  checkpoint: 'checkpoint.safetensors',
  metrics: 'metrics.json',
  report: 'report.html',
} as const;

type Settings = Omit<TrainOptions, 'out'>;

/**
 * Trains a new run into `options.out` (default: a fresh `runs/<time>-seed<seed>` under the working
 * folder). After every epoch it writes, each atomically, the checkpoint (weights, optimizer state, epoch
 * and RNG states), metrics.json and report.html, so an interrupted run can be resumed.
 *
 * @example
 * const { out, metrics } = await trainRun({ ...TRAIN_DEFAULTS, out: undefined }, { log: console.log });
 */
export async function trainRun(
  options: TrainOptions,
  io: RunIo,
): Promise<{ out: string; metrics: RunMetrics }> {
  const { out: outOption, ...settings } = options;
  const out = outOption ?? freshRunDir(settings.seed);
  mkdirSync(out, { recursive: true });
  writeFileAtomic(
    join(out, RUN_FILES.config),
    `${JSON.stringify({ version: 1, options: settings }, null, 2)}\n`,
  );
  const data = loadMnist({ trainLimit: settings.trainLimit, testLimit: settings.testLimit });
  const trainer = new Trainer(data, settings, splitRngs(new Rng(settings.seed)));
  const metrics: RunMetrics = {
    options: settings,
    parameters: trainer.model.parameterCount(),
    epochs: [],
    steps: trainer.steps,
    layerStats: trainer.layerStats,
    totalSeconds: 0,
  };
  io.log(
    `training ${settings.depth} × ${settings.width} ${settings.activation} (dropout ${settings.dropout}), ` +
      `${metrics.parameters.toLocaleString('en-US')} parameters, on ${data.train.count} MNIST images; ` +
      `${settings.optimizer} lr ${settings.lr}, batch ${settings.batchSize}, seed ${settings.seed}`,
  );
  await loop(trainer, settings, out, metrics, io);
  return { out, metrics };
}

/**
 * Continues the run saved in `dir` to `epochs` in all (default: the run's own setting). It ends exactly
 * where an uninterrupted run with the same settings ends: weights, optimizer state, the epoch count and
 * the shuffling and dropout RNG states all come from the checkpoint.
 *
 * @example
 * await resumeRun('runs/2026-11-28T18-00-00-seed1', 6, { log: console.log });
 */
export async function resumeRun(
  dir: string,
  epochs: number | undefined,
  io: RunIo,
): Promise<{ out: string; metrics: RunMetrics }> {
  for (const f of [RUN_FILES.config, RUN_FILES.checkpoint, RUN_FILES.metrics]) {
    if (!existsSync(join(dir, f))) {
      throw new Error(`--resume ${dir}: ${f} is missing; give a run folder written by pnpm train.`);
    }
  }
  const config = JSON.parse(readFileSync(join(dir, RUN_FILES.config), 'utf8')) as { options: Settings };
  const metrics = JSON.parse(readFileSync(join(dir, RUN_FILES.metrics), 'utf8')) as RunMetrics;
  const bytes = readFileSync(join(dir, RUN_FILES.checkpoint));
  const meta = loadSafetensors(bytes).metadata;
  const done = Number(meta.epoch);
  const settings: Settings = { ...config.options, epochs: epochs ?? config.options.epochs };
  if (settings.epochs < done) {
    throw new Error(
      `--resume ${dir}: the run has done ${done} epochs already; give --epochs ${done} or more.`,
    );
  }
  const data = loadMnist({ trainLimit: settings.trainLimit, testLimit: settings.testLimit });
  const rngs = splitRngs(new Rng(settings.seed));
  rngs.data = Rng.fromState(JSON.parse(meta.dataRng));
  rngs.dropout = Rng.fromState(JSON.parse(meta.dropoutRng));
  const trainer = new Trainer(data, settings, rngs);
  loadCheckpoint(bytes, { model: trainer.model, optimizer: trainer.optimizer });
  trainer.epoch = done;
  trainer.step = Number(meta.step);
  trainer.steps.push(...metrics.steps);
  trainer.layerStats.push(...metrics.layerStats);
  metrics.options = settings;
  metrics.epochs = metrics.epochs.slice(0, done);
  metrics.steps = trainer.steps;
  metrics.layerStats = trainer.layerStats;
  writeFileAtomic(
    join(dir, RUN_FILES.config),
    `${JSON.stringify({ version: 1, options: settings }, null, 2)}\n`,
  );
  io.log(
    done === settings.epochs
      ? `${dir} has all its ${done} epochs; give --epochs ${done + 1} or more to train it further`
      : `resuming ${dir} after epoch ${done} of ${settings.epochs}`,
  );
  await loop(trainer, settings, dir, metrics, io);
  return { out: dir, metrics };
}

async function loop(
  trainer: Trainer,
  settings: Settings,
  out: string,
  metrics: RunMetrics,
  io: RunIo,
): Promise<void> {
  const sessionStart = performance.now();
  const before = metrics.totalSeconds;
  const total = settings.epochs;
  while (trainer.epoch < total) {
    const label = `epoch ${trainer.epoch + 1}/${total}`;
    const bar = new ProgressBar({ label, total: trainer.data.train.count, out: io.progressOut });
    const e = await trainer.trainEpoch(bar);
    metrics.epochs.push(e);
    metrics.totalSeconds = before + (performance.now() - sessionStart) / 1000;
    bar.finish(
      `${label}  train loss ${e.trainLoss.toFixed(4)}  test loss ${e.testLoss.toFixed(4)}  ` +
        `test acc ${(100 * e.testAccuracy).toFixed(2)} %  (${e.seconds.toFixed(1)} s, ${Math.round(e.samplesPerSecond)} samples/s)`,
    );
    await save(trainer, out, metrics);
    io.onEpoch?.(e);
    if (!Number.isFinite(e.trainLoss)) {
      io.log(`the training loss is ${e.trainLoss}: the run diverged; try a smaller --lr. Stopping.`);
      break;
    }
    if (io.signal?.aborted && trainer.epoch < total) {
      io.log(
        `stopped after epoch ${trainer.epoch} of ${total}; continue with: pnpm train --resume ${resolve(out)}`,
      );
      break;
    }
  }
  if (metrics.epochs.length === 0) return;
  const last = metrics.epochs[metrics.epochs.length - 1];
  const best = Math.max(...metrics.epochs.map((x) => x.testAccuracy));
  const secs = metrics.epochs.reduce((a, x) => a + x.seconds, 0);
  const samples = metrics.epochs.reduce((a, x) => a + x.seconds * x.samplesPerSecond, 0);
  io.log(
    `done: test accuracy ${(100 * last.testAccuracy).toFixed(2)} % (best ${(100 * best).toFixed(2)} %) after ` +
      `${metrics.epochs.length} epochs, ${formatDuration(metrics.totalSeconds)} in all, ` +
      `${Math.round(samples / secs)} training samples/s`,
  );
  io.log(`wrote ${resolve(out)}/{${RUN_FILES.checkpoint},${RUN_FILES.metrics},${RUN_FILES.report}}`);
}

async function save(trainer: Trainer, out: string, metrics: RunMetrics): Promise<void> {
  const bytes = saveCheckpoint({
    model: trainer.model,
    optimizer: trainer.optimizer,
    metadata: {
      epoch: String(trainer.epoch),
      step: String(trainer.step),
      dataRng: JSON.stringify([...trainer.rngs.data.state()]),
      dropoutRng: JSON.stringify([...trainer.rngs.dropout.state()]),
    },
  });
  writeFileAtomic(join(out, RUN_FILES.checkpoint), bytes);
  writeFileAtomic(join(out, RUN_FILES.metrics), JSON.stringify(metrics));
  writeFileAtomic(join(out, RUN_FILES.report), await buildRunReport(metrics));
}

/**
 * A new folder name under ./runs: `runs/<UTC time>-seed<seed>`, with a suffix if it exists already.
 *
 * @example
 * freshRunDir(1); // 'runs/2026-11-28T18-04-05-seed1'
 */
export function freshRunDir(seed: number, prefix = '', now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  const base = join('runs', `${prefix}${stamp}-seed${seed}`);
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}
