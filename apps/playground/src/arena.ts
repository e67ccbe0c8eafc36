import {
  Adam,
  crossEntropy,
  type LayerMoments,
  loadCheckpoint,
  loadSafetensors,
  type Optimizer,
  SelfNormalizationMonitor,
  SGD,
  saveCheckpoint,
} from '@selfnorm/nn';
import { argmax, noGrad, Rng, softmax, type Tensor, tensor } from '@selfnorm/tensor';
import type { TrainConfig } from './config.ts';
import { type MnistSlice, PIXELS } from './mnist-chunk.ts';
import { type Activation, Mlp } from './model.ts';

/** A batch ready to become tensors: standardized inputs `[size, 784]` and integer labels. */
export interface Batch {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly size: number;
}

/** One layer's activation moments, as the charts need them. */
export interface Moments {
  mean: number;
  variance: number;
  /** SELU's saturated fraction (null for ReLU). */
  saturated: number | null;
  /** The monitor's flag: the moments are outside its band around (0, 1). */
  outOfBand: boolean;
}

/** One network of the arena: its model, optimizer and self-normalization monitor. */
export interface Contender {
  readonly activation: Activation;
  model: Mlp;
  optimizer: Optimizer;
  monitor: SelfNormalizationMonitor;
  dropoutRng: Rng;
}

/**
 * The 256-entry table `(p − mean) / std` that standardizes a raw pixel p (as apps/train does).
 *
 * @example
 * standardizeTable(127.5, 127.5)[255]; // 1
 */
export function standardizeTable(mean: number, std: number): Float32Array {
  if (!(std > 0)) throw new RangeError(`standardizeTable: std must be > 0, got ${std}`);
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = (v - mean) / std;
  return lut;
}

/**
 * Gathers the images `indices` of `slice` into a standardized batch.
 *
 * @example
 * const b = makeBatch(test, [0, 1, 2], lut); // b.x.length === 3 * 784
 */
export function makeBatch(slice: MnistSlice, indices: ArrayLike<number>, lut: Float32Array): Batch {
  const size = indices.length;
  const x = new Float32Array(size * PIXELS);
  const labels = new Int32Array(size);
  for (let b = 0; b < size; b++) {
    const idx = indices[b];
    if (!(idx >= 0 && idx < slice.count))
      throw new RangeError(`makeBatch: index ${idx} is outside the slice of ${slice.count} images`);
    const src = idx * PIXELS;
    for (let p = 0; p < PIXELS; p++) x[b * PIXELS + p] = lut[slice.images[src + p]];
    labels[b] = slice.labels[idx];
  }
  return { x, labels, size };
}

function toTensor(b: Batch): Tensor {
  return tensor(b.x, { shape: [b.size, PIXELS] });
}

/**
 * Several networks of the same depth and width (SNN, ReLU, ReLU + BatchNorm) trained side by side on the
 * same batches, each watched by the library's `SelfNormalizationMonitor`. Pure computation, no DOM: the
 * page's Web Worker drives it, and the tests drive it in Node.
 *
 * @example
 * const arena = new Arena(config);
 * const losses = arena.step(batch); // one optimizer step of every network on the same batch
 */
export class Arena {
  readonly contenders: Contender[];
  /** Optimizer steps taken. */
  step = 0;

  constructor(readonly config: TrainConfig) {
    this.contenders = config.nets.map((activation) => this.#build(activation));
  }

  #build(activation: Activation, spec?: { depth: number; width: number }): Contender {
    const { config } = this;
    // Each network gets its own generators from the same seed: the SNN's init does not depend on
    // which other networks run beside it.
    const root = new Rng(config.seed);
    const initRng = root.split();
    root.split(); // the data stream, as apps/train's splitRngs (init, data, dropout)
    const dropoutRng = root.split();
    const model = new Mlp(
      {
        depth: spec?.depth ?? config.depth,
        width: spec?.width ?? config.width,
        activation,
        dropout: config.dropout,
      },
      initRng,
      dropoutRng,
    );
    return {
      activation,
      model,
      optimizer: this.#optimizer(model),
      monitor: new SelfNormalizationMonitor(model),
      dropoutRng,
    };
  }

  #optimizer(model: Mlp): Optimizer {
    const { optimizer, lr } = this.config;
    return optimizer === 'adam'
      ? new Adam(model.parameters(), { lr })
      : new SGD(model.parameters(), { lr, momentum: 0.9 });
  }

  /** One optimizer step of every network on the same batch; returns each network's loss. */
  trainStep(batch: Batch): number[] {
    const x = toTensor(batch);
    const losses = this.contenders.map(({ model, optimizer }) => {
      model.train();
      const loss = crossEntropy(model.forward(x), batch.labels);
      model.zeroGrad();
      loss.backward();
      optimizer.step();
      return loss.item();
    });
    this.step++;
    return losses;
  }

  /** Each network's accuracy on `slice` (its first `limit` images), in eval mode, without gradients. */
  evaluate(slice: MnistSlice, lut: Float32Array, limit = slice.count): number[] {
    const n = Math.min(limit, slice.count);
    const correct = this.contenders.map(() => 0);
    for (let start = 0; start < n; start += 1000) {
      const idx = Array.from({ length: Math.min(1000, n - start) }, (_, i) => start + i);
      const b = makeBatch(slice, idx, lut);
      const logits = this.#eval((m) => m.forward(toTensor(b)));
      logits.forEach((l, k) => {
        const pred = argmax(l, 1).data;
        for (let i = 0; i < b.size; i++) if (pred[i] === b.labels[i]) correct[k]++;
      });
    }
    return correct.map((c) => c / n);
  }

  #eval<T>(fn: (model: Mlp) => T): T[] {
    return this.contenders.map(({ model }) => {
      model.eval();
      try {
        return noGrad(() => fn(model));
      } finally {
        model.train();
      }
    });
  }

  /**
   * Each network's per-layer activation moments on one batch (eval mode, no gradients), read from its
   * monitor: the layer-by-depth view. The moments of the training passes recorded so far are discarded.
   */
  probe(batch: Batch): Moments[][] {
    return this.#eval((model) => {
      const c = this.contenders.find((k) => k.model === model)!;
      c.monitor.reset();
      model.forward(toTensor(batch));
      const out = c.monitor.layers().map(toMoments);
      c.monitor.reset();
      return out;
    });
  }

  /** Each network's per-layer moments over the training passes since the last call (then reset). */
  takeTrainingMoments(): Moments[][] {
    return this.contenders.map(({ monitor }) => {
      const out = monitor.layers().map(toMoments);
      monitor.reset();
      return out;
    });
  }

  /** Each network's class probabilities for one standardized image (784 values), in eval mode. */
  predict(x: Float32Array): number[][] {
    if (x.length !== PIXELS)
      throw new RangeError(`Arena.predict: expected ${PIXELS} pixels, got ${x.length}`);
    const input = tensor(x, { shape: [1, PIXELS] });
    return this.#eval((m) => Array.from(softmax(m.forward(input), -1).data));
  }

  /**
   * Network `k` as a safetensors checkpoint in apps/train's layout (`model.…`, `optim.…`, and the
   * metadata keys its `--resume` reads), plus `playground.*` keys naming the recipe.
   */
  saveWeights(k: number): Uint8Array {
    const c = this.#contender(k, 'saveWeights');
    return saveCheckpoint({
      model: c.model,
      optimizer: c.optimizer,
      metadata: {
        epoch: '0',
        step: String(this.step),
        dataRng: JSON.stringify([...new Rng(this.config.seed).state()]),
        dropoutRng: JSON.stringify([...c.dropoutRng.state()]),
        'playground.activation': c.activation,
        'playground.depth': String(c.model.spec.depth),
        'playground.width': String(c.model.spec.width),
      },
    });
  }

  /**
   * Loads a checkpoint (from this page or from apps/train) into network `k`, rebuilding it when the file's
   * depth or width differ; the optimizer starts afresh. The recipe must match the slot: a file with
   * BatchNorm layers loads only into ReLU + BatchNorm, one without only into SELU or ReLU. Returns the
   * depth and width loaded. All or nothing: on error the network is unchanged.
   */
  loadWeights(k: number, bytes: Uint8Array): { depth: number; width: number } {
    const c = this.#contender(k, 'loadWeights');
    const { tensors, metadata } = loadSafetensors(bytes);
    let depth = 0;
    while (`model.blocks.${depth}.linear.weight` in tensors) depth++;
    const first = tensors['model.blocks.0.linear.weight'];
    if (depth === 0 || first.shape.length !== 2 || first.shape[1] !== PIXELS)
      throw new Error(
        `loadWeights: the file holds no MLP on 784 inputs (no 'model.blocks.0.linear.weight' of shape [width, 784]); keys: ${Object.keys(tensors).slice(0, 8).join(', ').slice(0, 100)}`,
      );
    const width = first.shape[0];
    const hasNorm = 'model.blocks.0.norm.weight' in tensors || 'model.blocks.0.norm.running_mean' in tensors;
    const saved = metadata['playground.activation'];
    if (hasNorm !== (c.activation === 'relu-bn') || (saved !== undefined && saved !== c.activation))
      throw new Error(
        `loadWeights: the file is a ${saved ?? (hasNorm ? 'relu-bn' : 'selu or relu')} network; it cannot load into the ${c.activation} network`,
      );
    const fresh = this.#build(c.activation, { depth, width });
    loadCheckpoint(bytes, { model: fresh.model });
    c.monitor.remove();
    this.contenders[k] = fresh;
    return { depth, width };
  }

  #contender(k: number, where: string): Contender {
    const c = this.contenders[k];
    if (c === undefined)
      throw new RangeError(`Arena.${where}: network ${k} does not exist (0..${this.contenders.length - 1})`);
    return c;
  }
}

function toMoments(l: LayerMoments): Moments {
  return { mean: l.mean, variance: l.variance, saturated: l.saturated, outOfBand: l.outOfBand };
}
