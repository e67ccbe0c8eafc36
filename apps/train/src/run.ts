import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportOnnx, loadCheckpoint, loadSafetensors } from '@selfnorm/nn';
import { Rng } from '@selfnorm/tensor';
import { resumeCommand, TRAIN_COMMAND } from './command.ts';
import type { EpochMetrics, RunMetrics } from './metrics.ts';
import { loadMnist, MNIST_PIXELS } from './mnist.ts';
import type { TrainOptions } from './options.ts';
import { formatDuration, ProgressBar, type ProgressSink } from './progress.ts';
import { atomicWriter, cleanTempFiles, parseRunFile, RUN_FILES, type WriteFile } from './run-folder.ts';
import { bestEpoch, type RunState, rebuildViews, saveEpoch, writeStep } from './run-save.ts';
import { DivergedError, splitRngs, Trainer } from './train.ts';

export { RUN_FILES } from './run-folder.ts';

/** Where a run reports to. */
export interface RunIo {
  /** One line of output (epoch summaries, the final summary): stdout in the app. */
  log(line: string): void;
  /** Where the progress bar goes (default process.stderr). */
  progressOut?: ProgressSink;
  /** When aborted, the run stops after the epoch in progress is saved (resume it with --resume). */
  signal?: AbortSignal;
  /** Called after each epoch is saved. */
  onEpoch?: (epoch: EpochMetrics) => void;
  /** Writes each file of the run folder (default: atomically; tests inject failures). */
  writeFile?: WriteFile;
  /** Write model.onnx (the trained network, for ONNX Runtime) when the run is done. Default true. */
  writeOnnx?: boolean;
}

/** How a run ended: all its epochs, stopped by a signal (resumable), or diverged (not resumable). */
export type RunStatus = 'done' | 'stopped' | 'diverged';

/** What {@link trainRun} and {@link resumeRun} return. */
export interface RunResult {
  out: string;
  metrics: RunMetrics;
  status: RunStatus;
}

type Settings = Omit<TrainOptions, 'out'>;

/**
 * Trains a new run into `options.out` (default: a fresh `runs/<time>-seed<seed>` under the working
 * folder). After every epoch it writes the checkpoint (weights, optimizer state, epoch, RNG states and
 * the metrics so far: the run's one commit point), then best.safetensors when the epoch is the best so
 * far, metrics.json and report.html, each atomically. A loss that is not finite stops the run without
 * saving that epoch (status 'diverged').
 *
 * @example
 * const { out, metrics, status } = await trainRun({ ...TRAIN_DEFAULTS, out: 'runs/a' }, { log: console.log });
 */
export async function trainRun(options: TrainOptions, io: RunIo): Promise<RunResult> {
  const { out: outOption, ...settings } = options;
  const out = resolve(outOption ?? freshRunDir(settings.seed));
  mkdirSync(out, { recursive: true });
  const write = io.writeFile ?? atomicWriter;
  // Run folders hold large files that do not belong in git, wherever --out puts them.
  writeStep(write, join(out, RUN_FILES.gitignore), '*\n', 'nothing was trained yet');
  writeConfig(write, out, settings);
  return start(out, settings, io);
}

async function start(out: string, settings: Settings, io: RunIo): Promise<RunResult> {
  const data = loadMnist({ trainLimit: settings.trainLimit, testLimit: settings.testLimit });
  const trainer = new Trainer(data, settings, splitRngs(new Rng(settings.seed)));
  const metrics: RunMetrics = {
    options: settings,
    parameters: trainer.model.parameterCount(),
    epochs: [],
    steps: trainer.steps,
    layerStats: trainer.layerStats,
    totalSeconds: 0,
    input: { mean: data.stats.mean, std: data.stats.std },
  };
  io.log(
    `training ${settings.model === 'cnn' ? `CNN (hidden ${settings.width})` : `${settings.depth} × ${settings.width}`} ${settings.activation} (dropout ${settings.dropout}), ` +
      `${metrics.parameters.toLocaleString('en-US')} parameters, on ${data.train.count} MNIST images; ` +
      `${settings.optimizer} lr ${settings.lr}, batch ${settings.batchSize}, seed ${settings.seed}`,
  );
  const status = await loop({ trainer, settings, out, metrics }, io);
  return { out, metrics, status };
}

/**
 * Continues the run saved in `dir` to `epochs` in all (default: the run's own setting). It ends exactly
 * where an uninterrupted run with the same settings ends: weights, optimizer state, the epoch count, the
 * shuffling and dropout RNG states and the metrics all come from the checkpoint. First it removes
 * temporary files a kill left behind and rewrites metrics.json, report.html and best.safetensors from
 * the checkpoint (a crash between two writes leaves them behind it). A folder whose run stopped before
 * its first checkpoint trains from the start with its saved settings; a run that diverged is refused
 * (a resume would repeat the same steps).
 *
 * @example
 * await resumeRun('runs/2026-11-28T18-00-00-seed1', 6, { log: console.log });
 */
export async function resumeRun(dir: string, epochs: number | undefined, io: RunIo): Promise<RunResult> {
  const path = (f: string) => join(dir, f);
  if (!existsSync(path(RUN_FILES.config))) {
    throw new Error(
      `--resume ${dir}: ${RUN_FILES.config} is missing; give a run folder written by ${TRAIN_COMMAND}.`,
    );
  }
  const removed = cleanTempFiles(dir);
  if (removed.length)
    io.log(`removed ${removed.length} temporary file(s) of an interrupted write: ${removed.join(', ')}`);
  const write = io.writeFile ?? atomicWriter;
  const config = parseRunFile(
    path(RUN_FILES.config),
    (b) => JSON.parse(b.toString('utf8')) as { options: Settings },
  );
  const settingsFor = (done: number): Settings => {
    const s = { ...config.options, epochs: epochs ?? config.options.epochs };
    if (s.epochs < done) {
      throw new Error(
        `--resume ${dir}: the run has done ${done} epochs already; give --epochs ${done} or more.`,
      );
    }
    return s;
  };
  if (!existsSync(path(RUN_FILES.checkpoint))) {
    refuseDiverged(dir, 0, config.options.lr);
    const settings = settingsFor(0);
    io.log(
      `${dir} has no checkpoint yet (the run stopped before its first epoch ended): ` +
        'training it from the start with its saved settings',
    );
    writeConfig(write, dir, settings);
    return start(dir, settings, io);
  }
  const ckpt = path(RUN_FILES.checkpoint);
  const { bytes, meta } = parseRunFile(ckpt, (b) => {
    const meta = loadSafetensors(b).metadata;
    for (const key of ['epoch', 'step']) {
      if (!/^\d+$/.test(meta[key] ?? '')) {
        throw new Error(
          `its metadata '${key}' must be a whole number; got ${JSON.stringify(meta[key])?.slice(0, 100)}`,
        );
      }
    }
    return { bytes: b, meta };
  });
  const done = Number(meta.epoch);
  const metrics: RunMetrics =
    meta.metrics !== undefined
      ? parseRunFile(ckpt, () => JSON.parse(meta.metrics) as RunMetrics)
      : parseRunFile(path(RUN_FILES.metrics), (b) => JSON.parse(b.toString('utf8')) as RunMetrics); // older runs
  refuseDiverged(dir, done, metrics.options.lr);
  const settings = settingsFor(done);
  const data = loadMnist({ trainLimit: settings.trainLimit, testLimit: settings.testLimit });
  const rngs = splitRngs(new Rng(settings.seed));
  const trainer = parseRunFile(ckpt, () => {
    rngs.data = Rng.fromState(JSON.parse(meta.dataRng));
    rngs.dropout = Rng.fromState(JSON.parse(meta.dropoutRng));
    const t = new Trainer(data, settings, rngs);
    // Checkpoints of runs from before the scheduler was saved resume its schedule from the step count.
    const saved = t.scheduler !== null && meta['selfnorm.scheduler'] !== undefined;
    loadCheckpoint(bytes, {
      model: t.model,
      optimizer: t.optimizer,
      scheduler: saved ? (t.scheduler ?? undefined) : undefined,
    });
    if (!saved) t.scheduler?.loadStateDict({ lastEpoch: Number(meta.step) });
    return t;
  });
  trainer.epoch = done;
  trainer.step = Number(meta.step);
  trainer.steps.push(...metrics.steps);
  trainer.layerStats.push(...metrics.layerStats);
  metrics.options = settings;
  metrics.epochs = metrics.epochs.slice(0, done);
  metrics.steps = trainer.steps;
  metrics.layerStats = trainer.layerStats;
  metrics.input = { mean: data.stats.mean, std: data.stats.std };
  const state: RunState = { trainer, settings, out: dir, metrics };
  writeConfig(write, dir, settings);
  const rebuilt = await rebuildViews(state, write);
  if (rebuilt.length)
    io.log(`rebuilt ${rebuilt.join(', ')} from the checkpoint (an interrupted save left them behind)`);
  io.log(
    done === settings.epochs
      ? `${dir} has all its ${done} epochs; give --epochs ${done + 1} or more to train it further`
      : `resuming ${dir} after epoch ${done} of ${settings.epochs}`,
  );
  const status = await loop(state, io);
  return { out: dir, metrics, status };
}

/** A run whose metrics.json records a divergence right after the checkpoint would diverge again. */
function refuseDiverged(dir: string, done: number, lr: number): void {
  const file = join(dir, RUN_FILES.metrics);
  if (!existsSync(file)) return;
  let onDisk: RunMetrics;
  try {
    onDisk = JSON.parse(parseRunFile(file, (b) => b.toString('utf8'))) as RunMetrics;
  } catch {
    return; // rebuilt from the checkpoint below
  }
  const d = onDisk.diverged;
  if (d && d.epoch === done + 1) {
    throw new Error(
      `--resume ${dir}: this run diverged in epoch ${d.epoch} (the ${d.split === 'train' ? 'training' : 'test'} ` +
        `loss was ${d.loss} at step ${d.step}); a resume would repeat the same steps and diverge again. ` +
        `Start a new run (${TRAIN_COMMAND}) with the same flags and a smaller --lr: this one used ${lr}, try ${Number((lr / 10).toPrecision(3))}.`,
    );
  }
}

function writeConfig(write: WriteFile, out: string, settings: Settings): void {
  writeStep(
    write,
    join(out, RUN_FILES.config),
    `${JSON.stringify({ version: 1, options: settings }, null, 2)}\n`,
    existsSync(join(out, RUN_FILES.checkpoint))
      ? `the checkpoint ${join(out, RUN_FILES.checkpoint)} is intact`
      : 'nothing was trained yet',
  );
}

async function loop(state: RunState, io: RunIo): Promise<RunStatus> {
  const { trainer, settings, out, metrics } = state;
  const sessionStart = performance.now();
  const before = metrics.totalSeconds;
  const total = settings.epochs;
  const write = io.writeFile ?? atomicWriter;
  let status: RunStatus = 'done';
  while (trainer.epoch < total) {
    const label = `epoch ${trainer.epoch + 1}/${total}`;
    const bar = new ProgressBar({ label, total: trainer.data.train.count, out: io.progressOut });
    let e: EpochMetrics;
    try {
      e = await trainer.trainEpoch(bar);
    } catch (err) {
      if (!(err instanceof DivergedError)) throw err;
      bar.finish();
      await diverged(state, err, io, write);
      status = 'diverged';
      break;
    }
    metrics.epochs.push(e);
    metrics.totalSeconds = before + (performance.now() - sessionStart) / 1000;
    bar.finish();
    io.log(
      `${label}  train loss ${e.trainLoss.toFixed(4)}  test loss ${e.testLoss.toFixed(4)}  ` +
        `test acc ${(100 * e.testAccuracy).toFixed(2)} %  (${e.seconds.toFixed(1)} s, ${Math.round(e.samplesPerSecond)} samples/s)`,
    );
    await saveEpoch(state, write);
    io.onEpoch?.(e);
    if (io.signal?.aborted && trainer.epoch < total) {
      io.log(`stopped after epoch ${trainer.epoch} of ${total}; continue with: ${resumeCommand(out)}`);
      status = 'stopped';
      break;
    }
  }
  const onnx = status === 'done' && io.writeOnnx !== false;
  if (onnx) {
    // The CNN's graph takes images: its forward views [N, 784] as [N, 1, 28, 28] itself, which a trace cannot follow.
    const inputShape = settings.model === 'cnn' ? [1, 1, 28, 28] : [1, MNIST_PIXELS];
    const bytes = exportOnnx(trainer.model, { inputShape });
    writeStep(write, join(out, RUN_FILES.onnx), bytes, `the checkpoint of epoch ${trainer.epoch} is saved`);
  }
  if (status !== 'diverged') summary(state, io, status === 'stopped' ? 'so far' : 'done', onnx);
  return status;
}

/** Records the divergence in metrics.json and the report (not in the checkpoint) and says what is kept. */
async function diverged(state: RunState, err: DivergedError, io: RunIo, write: WriteFile): Promise<void> {
  const { out, metrics, settings } = state;
  metrics.diverged = { epoch: err.epoch, step: err.step, loss: String(err.loss), split: err.split };
  const saved = metrics.epochs.length;
  const best = bestEpoch(metrics);
  const kept =
    saved === 0
      ? 'no epoch had finished, so there is no checkpoint'
      : `the last good checkpoint, ${join(out, RUN_FILES.checkpoint)} (epoch ${saved}), is kept; ` +
        `the best epoch's weights are in ${join(out, RUN_FILES.best)} ` +
        `(epoch ${best?.epoch}, test accuracy ${(100 * (best?.testAccuracy ?? 0)).toFixed(2)} %)`;
  io.log(
    `error: ${err.message}; stopped without saving epoch ${err.epoch}. ${kept[0].toUpperCase()}${kept.slice(1)}. ` +
      `Try a new run with a smaller --lr (this one used ${settings.lr}).`,
  );
  await rebuildViews(state, write, { force: true });
}

function summary({ out, metrics }: RunState, io: RunIo, word: string, onnx: boolean): void {
  if (metrics.epochs.length === 0) return;
  const last = metrics.epochs[metrics.epochs.length - 1];
  const best = Math.max(...metrics.epochs.map((x) => x.testAccuracy));
  const secs = metrics.epochs.reduce((a, x) => a + x.seconds, 0);
  const samples = metrics.epochs.reduce((a, x) => a + x.seconds * x.samplesPerSecond, 0);
  const n = metrics.epochs.length;
  io.log(
    `${word}: test accuracy ${(100 * last.testAccuracy).toFixed(2)} % (best ${(100 * best).toFixed(2)} %) after ` +
      `${n} epoch${n === 1 ? '' : 's'}, ${formatDuration(metrics.totalSeconds)} in all, ` +
      `${Math.round(samples / secs)} training samples/s`,
  );
  const files: string[] = [RUN_FILES.checkpoint, RUN_FILES.best, RUN_FILES.metrics, RUN_FILES.report];
  if (onnx) files.push(RUN_FILES.onnx);
  io.log(`wrote ${out}/{${files.join(',')}}`);
}

/**
 * A new folder name under `root`/runs: `runs/<UTC time>-seed<seed>`, with a suffix if it exists already.
 *
 * @example
 * freshRunDir(1); // 'runs/2026-11-28T18-04-05-seed1'
 */
export function freshRunDir(seed: number, prefix = '', now = new Date(), root = ''): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  const base = join(root, 'runs', `${prefix}${stamp}-seed${seed}`);
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}
