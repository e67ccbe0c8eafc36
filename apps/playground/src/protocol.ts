/** The messages between the page (main thread) and the training worker. */
import type { Moments } from './arena.ts';
import type { TrainConfig } from './config.ts';

/** Page → worker. */
export type ToWorker =
  /** Build the networks (again) with `config`; `dataUrl` is the absolute URL of the data/ folder. */
  | { type: 'reset'; config: TrainConfig; dataUrl: string }
  /** Train until paused, or until `untilStep` steps (then evaluate on the whole test split). */
  | { type: 'start'; untilStep: number | null }
  | { type: 'pause' }
  /** Class probabilities of every network for 784 raw pixels in 0..255. */
  | { type: 'predict'; pixels: Float32Array; id: number }
  /** Test image `index` (raw pixels), for the page to draw. */
  | { type: 'sample'; index: number }
  | { type: 'save'; net: number }
  | { type: 'load'; net: number; bytes: Uint8Array; name: string };

/** Worker → page. */
export type FromWorker =
  /** How the CPU device runs here: threads, isolation, and whether the WebAssembly SIMD kernels run. */
  | { type: 'threads'; threads: number; isolated: boolean; simd: boolean }
  | { type: 'data'; train: number; trainTotal: number; test: number; testTotal: number }
  | { type: 'state'; state: 'loading' | 'ready' | 'training' | 'paused' | 'evaluating' | 'done' }
  /** The layer-by-depth view of every network on the probe batch at step `step`. */
  | { type: 'probe'; step: number; layers: Moments[][] }
  /** Losses of one step, and the moments of the training passes since the last report. */
  | { type: 'step'; step: number; losses: number[]; layers: Moments[][] | null; samplesPerSecond: number }
  /** Test accuracy of every network; `full` when measured on the whole test split. */
  | { type: 'accuracy'; step: number; accuracy: number[]; images: number; full: boolean }
  | { type: 'prediction'; id: number; probs: number[][] }
  | { type: 'sample'; pixels: Float32Array; label: number }
  | { type: 'weights'; net: number; bytes: Uint8Array }
  | { type: 'loaded'; net: number; depth: number; width: number; name: string }
  | { type: 'error'; message: string };
