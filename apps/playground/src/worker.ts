/**
 * The training worker: loads MNIST (the first chunks, then the rest in the background), trains the arena
 * step by step and reports to the page; the page never blocks. With cross-origin isolation it starts the
 * CPU device's matmul worker threads (nested workers from `cpuWorkerSource`); otherwise one thread.
 */
import { cpuWorkerSource, fastKernelsAvailable, Rng, useCpuWorkers } from '@selfnorm/tensor';
import { Arena, makeBatch, standardizeTable } from './arena.ts';
import { type DataStore, loadData } from './data.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { BatchSampler } from './sampler.ts';

/** The part of a dedicated worker's global scope used here (the DOM lib, not the webworker one, is loaded). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  crossOriginIsolated?: boolean;
}
const scope = self as unknown as WorkerScope;
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

/** Live test accuracy is measured on this many test images every EVAL_EVERY steps. */
const LIVE_TEST = 1000;
const EVAL_EVERY = 25;
/** Moments of the training passes are reported every REPORT_EVERY steps. */
const REPORT_EVERY = 5;

let arena: Arena | null = null;
let data: DataStore | null = null;
let sampler: BatchSampler | null = null;
let lut: Float32Array = new Float32Array(256);
let running = false;
let untilStep: number | null = null;
let generation = 0;

async function startThreads(): Promise<void> {
  const isolated = scope.crossOriginIsolated === true;
  let threads = 1;
  if (isolated) {
    const n = Math.max(0, Math.min((navigator.hardwareConcurrency || 1) - 1, 7));
    if (n > 0) {
      const url = URL.createObjectURL(new Blob([cpuWorkerSource], { type: 'text/javascript' }));
      const workers = Array.from({ length: n }, () => new Worker(url));
      if (await useCpuWorkers(workers)) threads = n + 1;
      else for (const w of workers) w.terminate();
    }
  }
  post({ type: 'threads', threads, isolated, simd: fastKernelsAvailable() });
}
const threadsReady = startThreads();

const yieldToMessages = () =>
  new Promise<void>((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });

async function loop(gen: number): Promise<void> {
  post({ type: 'state', state: 'training' });
  let t0 = performance.now();
  let seen = 0;
  while (running && gen === generation && arena && data && sampler) {
    if (untilStep !== null && arena.step >= untilStep) {
      running = false;
      await finish(gen);
      return;
    }
    sampler.available = data.train.count;
    const batch = makeBatch(data.train, sampler.next(arena.config.batchSize), lut);
    const losses = arena.trainStep(batch);
    seen += batch.size;
    const step = arena.step;
    const report = step % REPORT_EVERY === 0;
    const now = performance.now();
    post({
      type: 'step',
      step,
      losses,
      layers: report ? arena.takeTrainingMoments() : null,
      samplesPerSecond: (1000 * seen) / Math.max(now - t0, 1),
    });
    if (now - t0 > 3000) {
      t0 = now;
      seen = 0;
    }
    if (step % EVAL_EVERY === 0) {
      post({
        type: 'accuracy',
        step,
        accuracy: arena.evaluate(data.test, lut, LIVE_TEST),
        images: Math.min(LIVE_TEST, data.test.count),
        full: false,
      });
      post({ type: 'probe', step, layers: arena.probe(data.probe(lut)) });
    }
    await yieldToMessages();
  }
  if (gen === generation && arena) post({ type: 'state', state: 'paused' });
}

/** After the requested steps: wait for the whole test split, evaluate on it, and say `done`. */
async function finish(gen: number): Promise<void> {
  if (!arena || !data) return;
  post({ type: 'state', state: 'evaluating' });
  await data.testComplete;
  if (gen !== generation) return;
  const step = arena.step;
  post({ type: 'probe', step, layers: arena.probe(data.probe(lut)) });
  post({
    type: 'accuracy',
    step,
    accuracy: arena.evaluate(data.test, lut),
    images: data.test.count,
    full: true,
  });
  post({ type: 'state', state: 'done' });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'reset': {
      generation++;
      running = false;
      const gen = generation;
      post({ type: 'state', state: 'loading' });
      await threadsReady;
      data ??= await loadData(msg.dataUrl, (p) => post({ type: 'data', ...p }), reportError);
      if (gen !== generation) return;
      lut = standardizeTable(data.manifest.pixelMean, data.manifest.pixelStd);
      arena = new Arena(msg.config);
      sampler = new BatchSampler(new Rng(msg.config.seed).split());
      post({ type: 'probe', step: 0, layers: arena.probe(data.probe(lut)) });
      post({ type: 'state', state: 'ready' });
      return;
    }
    case 'start':
      if (!arena || running) return;
      untilStep = msg.untilStep;
      running = true;
      void loop(generation);
      return;
    case 'pause':
      running = false;
      return;
    case 'predict': {
      if (!arena) return;
      const x = new Float32Array(784);
      for (let i = 0; i < 784; i++) x[i] = lut[Math.max(0, Math.min(255, Math.round(msg.pixels[i])))];
      post({ type: 'prediction', id: msg.id, probs: arena.predict(x) });
      return;
    }
    case 'sample': {
      if (!data) return;
      const test = data.test;
      const i = ((msg.index % test.count) + test.count) % test.count;
      const pixels = Float32Array.from(test.images.subarray(i * 784, (i + 1) * 784));
      post({ type: 'sample', pixels, label: test.labels[i] }, [pixels.buffer]);
      return;
    }
    case 'save': {
      if (!arena) return;
      const bytes = arena.saveWeights(msg.net);
      post({ type: 'weights', net: msg.net, bytes }, [bytes.buffer]);
      return;
    }
    case 'load': {
      if (!arena) return;
      const { depth, width } = arena.loadWeights(msg.net, msg.bytes);
      post({ type: 'loaded', net: msg.net, depth, width, name: msg.name });
      if (data) post({ type: 'probe', step: arena.step, layers: arena.probe(data.probe(lut)) });
      return;
    }
  }
}

function reportError(e: unknown): void {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch(reportError);
};
