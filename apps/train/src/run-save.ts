import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSafetensors, saveCheckpoint } from '@selfnorm/nn';
import { resumeCommand } from './command.ts';
import type { EpochMetrics, RunMetrics } from './metrics.ts';
import type { TrainOptions } from './options.ts';
import { buildRunReport } from './report.ts';
import { RUN_FILES, type WriteFile } from './run-folder.ts';
import type { Trainer } from './train.ts';

/** A run in progress: its trainer, settings, folder and metrics. */
export interface RunState {
  trainer: Trainer;
  settings: Omit<TrainOptions, 'out'>;
  out: string;
  metrics: RunMetrics;
}

/**
 * Writes one file of a run folder; a failure (ENOSPC, EACCES, …) becomes an error that names the file,
 * says what is still safe (`safe`, e.g. "the last checkpoint … is intact") and how to go on.
 *
 * @example
 * writeStep(write, 'runs/a/metrics.json', text, 'the checkpoint of epoch 3 is saved');
 */
export function writeStep(write: WriteFile, path: string, data: string | Uint8Array, safe: string): void {
  try {
    write(path, data);
  } catch (err) {
    const dir = dirname(path);
    const next = existsSync(join(dir, RUN_FILES.config))
      ? `free some space (or fix the folder), then continue with: ${resumeCommand(dir)}`
      : 'free some space (or fix the folder) and start again';
    throw new Error(`cannot write ${path}: ${(err as Error).message}. ${capital(safe)}; ${next}`);
  }
}

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The epoch with the highest test accuracy (the first of equals), or undefined before the first. */
export function bestEpoch(metrics: RunMetrics): EpochMetrics | undefined {
  let best: EpochMetrics | undefined;
  for (const e of metrics.epochs) if (!best || e.testAccuracy > best.testAccuracy) best = e;
  return best;
}

/**
 * Saves the epoch just finished, in this order: the checkpoint (model, optimizer, epoch, step, RNG
 * states and all metrics so far: the commit point), then best.safetensors if this epoch is the best so
 * far, metrics.json and report.html. A crash between two writes leaves files that {@link rebuildViews}
 * brings up to the checkpoint on resume.
 *
 * @example
 * await saveEpoch(state, atomicWriter);
 */
export async function saveEpoch(state: RunState, write: WriteFile): Promise<void> {
  const { trainer, out, metrics } = state;
  const ckpt = join(out, RUN_FILES.checkpoint);
  const before = existsSync(ckpt)
    ? `the last checkpoint, ${ckpt} (epoch ${trainer.epoch - 1}), is intact`
    : 'no checkpoint was written yet';
  writeStep(write, ckpt, checkpointBytes(state), before);
  const after = `the checkpoint of epoch ${trainer.epoch}, ${ckpt}, is saved (a resume rewrites this file)`;
  if (bestEpoch(metrics)?.epoch === trainer.epoch) {
    writeStep(write, join(out, RUN_FILES.best), bestBytes(state), after);
  }
  writeStep(write, join(out, RUN_FILES.metrics), JSON.stringify(metrics), after);
  writeStep(write, join(out, RUN_FILES.report), await buildRunReport(metrics), after);
}

function checkpointBytes({ trainer, metrics }: RunState): Uint8Array {
  return saveCheckpoint({
    model: trainer.model,
    optimizer: trainer.optimizer,
    scheduler: trainer.scheduler ?? undefined,
    metadata: {
      epoch: String(trainer.epoch),
      step: String(trainer.step),
      dataRng: JSON.stringify([...trainer.rngs.data.state()]),
      dropoutRng: JSON.stringify([...trainer.rngs.dropout.state()]),
      metrics: JSON.stringify(metrics),
    },
  });
}

/** best.safetensors: the model only (keys `model.…`), with the epoch and its test accuracy. */
function bestBytes({ trainer, metrics }: RunState): Uint8Array {
  const best = bestEpoch(metrics)!;
  return saveCheckpoint({
    model: trainer.model,
    metadata: { epoch: String(best.epoch), testAccuracy: String(best.testAccuracy) },
  });
}

/**
 * Rewrites metrics.json and report.html from the metrics of the checkpoint just loaded, and
 * best.safetensors when the checkpoint's epoch is the best one and the file is missing or older. Returns
 * the files that were missing or behind (a crash between the checkpoint and their writes). With
 * `force`, writes metrics.json and the report only (after a divergence, which the checkpoint never holds).
 *
 * @example
 * const rebuilt = await rebuildViews(state, atomicWriter); // ['metrics.json', 'report.html']
 */
export async function rebuildViews(
  state: RunState,
  write: WriteFile,
  { force = false } = {},
): Promise<string[]> {
  const { trainer, out, metrics } = state;
  const behind: string[] = [];
  const ckpt = join(out, RUN_FILES.checkpoint);
  const safe = force
    ? 'nothing of the diverged epoch is saved'
    : `the checkpoint of epoch ${trainer.epoch}, ${ckpt}, is intact`;
  const best = bestEpoch(metrics);
  if (!force && best !== undefined && best.epoch === trainer.epoch) {
    if (savedEpoch(join(out, RUN_FILES.best)) !== String(best.epoch)) {
      writeStep(write, join(out, RUN_FILES.best), bestBytes(state), safe);
      behind.push(RUN_FILES.best);
    }
  }
  const onDisk = savedEpochCount(join(out, RUN_FILES.metrics));
  if (onDisk !== metrics.epochs.length) behind.push(RUN_FILES.metrics);
  if (onDisk !== metrics.epochs.length || !existsSync(join(out, RUN_FILES.report))) {
    behind.push(RUN_FILES.report);
  }
  writeStep(write, join(out, RUN_FILES.metrics), JSON.stringify(metrics), safe);
  writeStep(write, join(out, RUN_FILES.report), await buildRunReport(metrics), safe);
  return force ? [] : behind;
}

/** The epoch stored in a best.safetensors, or undefined when it is missing or unreadable. */
function savedEpoch(path: string): string | undefined {
  try {
    return loadSafetensors(readFileSync(path)).metadata.epoch;
  } catch {
    return undefined;
  }
}

/** How many epochs a metrics.json holds (-1 when it is missing or unreadable). */
function savedEpochCount(path: string): number {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as RunMetrics).epochs.length;
  } catch {
    return -1;
  }
}
