import { noGrad, SELU_ALPHA, SELU_LAMBDA, square, sum, type Tensor } from '@selfnorm/tensor';
import { ELU, ReLU, Tanh } from './layers/activations';
import { Linear } from './layers/linear';
import { SELU } from './layers/selu';
import type { HookHandle, Module } from './module';
import { preview } from './serialize/preview';

/** The band around the fixed point (0, 1) outside which a layer is flagged. */
export interface MomentBand {
  /** Largest |mean| still in the band. Default 0.1. */
  mean?: number;
  /** [lowest, highest] variance still in the band. Default [0.8, 1.5]. */
  variance?: readonly [number, number];
}

/** Options of `SelfNormalizationMonitor`. */
export interface SelfNormalizationMonitorOptions {
  /**
   * Names of the modules to watch (as `model.namedModules()` names them: `'blocks.3.act'`). Default: every
   * activation module of the model (SELU, ReLU, ELU, Tanh), in model order.
   */
  layers?: readonly string[];
  /**
   * The band around (0, 1) that counts as self-normalized. Default: mean in [−0.1, 0.1] and variance in
   * [0.8, 1.5], the domain of the paper's Theorem 1 from which the SELU map is attracted to (0, 1).
   */
  band?: MomentBand;
  /** Record every `every`-th forward pass of each layer (1 = all). Default 1. */
  every?: number;
}

/** One watched layer's activation moments over the batches recorded since the last `reset()`. */
export interface LayerMoments {
  /** The module's name in the model. */
  name: string;
  /** The module's class (`SELU`, `ReLU`, …). */
  type: string;
  /** How many forward passes were recorded. */
  batches: number;
  /** Mean over every unit and sample recorded. */
  mean: number;
  /** Population variance over every unit and sample recorded. */
  variance: number;
  /**
   * For SELU layers, the fraction of outputs in the saturated negative regime, y < λα(e⁻³ − 1) (an input
   * below −3, where the gradient is under 5 % of λα); null for other activations.
   */
  saturated: number | null;
  /** Mean and variance of the last recorded batch alone. */
  last: { mean: number; variance: number };
  /** True when the moments are outside the band around (0, 1). */
  outOfBand: boolean;
}

/** The weight statistics of one Linear layer that the paper's theory is about. */
export interface WeightMoments {
  /** The Linear module's name in the model. */
  name: string;
  /** n = fan-in. */
  fanIn: number;
  /** ω = n·mean(w) = Σᵢ wᵢ per output unit: its mean, min and max over the units (fixed point 0). */
  omega: { mean: number; min: number; max: number };
  /** τ = n·mean(w²) = Σᵢ wᵢ² per output unit: its mean, min and max over the units (fixed point 1). */
  tau: { mean: number; min: number; max: number };
}

interface Accumulator {
  name: string;
  module: Module;
  calls: number;
  batches: number;
  count: number;
  sum: number;
  sumSq: number;
  saturatedCount: number;
  last: { mean: number; variance: number };
  handle: HookHandle;
}

/** The output below which SELU counts as saturated: selu(−3) = λα(e⁻³ − 1). */
const SATURATED = SELU_LAMBDA * SELU_ALPHA * (Math.exp(-3) - 1);

function isActivation(m: Module): boolean {
  return m instanceof SELU || m instanceof ReLU || m instanceof ELU || m instanceof Tanh;
}

/**
 * Watches whether a network stays self-normalized while it trains — no other framework has one. It hooks the
 * model's activation layers (or the layers named) and records, over the batches they see, each layer's
 * activation mean and variance, SELU's saturated fraction, and a flag when the moments leave a band around the
 * fixed point (0, 1); `weights()` gives each Linear layer's ω = n·mean(w) and τ = n·mean(w²) per unit, whose
 * fixed point is ω = 0, τ = 1 (Klambauer et al., 2017). The statistics are computed without recording on the
 * autograd graph, in one pass over each watched output: +2–3 % of a W2a/W2b training step (docs/BENCHMARKS.md,
 * `pnpm --filter @selfnorm/bench monitor-overhead`); `every` thins them out.
 * @example
 * const monitor = new SelfNormalizationMonitor(model);
 * for (const [x, y] of loader) { … model.forward(x) … }
 * for (const l of monitor.layers()) console.log(l.name, l.mean, l.variance, l.outOfBand ? 'drifting' : '');
 * monitor.reset(); // start the next epoch's statistics
 */
export class SelfNormalizationMonitor {
  readonly model: Module;
  readonly band: { mean: number; variance: readonly [number, number] };
  readonly every: number;
  readonly #layers: Accumulator[];

  constructor(model: Module, options: SelfNormalizationMonitorOptions = {}) {
    const where = 'SelfNormalizationMonitor';
    if (model === null || typeof model?.namedModules !== 'function')
      throw new TypeError(`${where}: expected a Module, got ${preview(model)}`);
    const { layers, band = {}, every = 1 } = options;
    const mean = band.mean ?? 0.1;
    const variance = band.variance ?? [0.8, 1.5];
    if (typeof mean !== 'number' || !(mean >= 0))
      throw new RangeError(`${where}: band.mean must be a number >= 0, got ${String(mean)}`);
    if (
      !Array.isArray(variance) ||
      variance.length !== 2 ||
      !(variance[0] >= 0) ||
      !(variance[1] >= variance[0])
    )
      throw new RangeError(`${where}: band.variance must be [low, high] with 0 <= low <= high`);
    if (!Number.isSafeInteger(every) || every < 1)
      throw new RangeError(`${where}: every must be a positive integer, got ${String(every)}`);
    this.model = model;
    this.band = { mean, variance: [variance[0], variance[1]] };
    this.every = every;
    const all = model.namedModules();
    let chosen: [string, Module][];
    if (layers === undefined) {
      chosen = all.filter(([, m]) => isActivation(m));
      if (chosen.length === 0)
        throw new RangeError(
          `${where}: the model has no SELU, ReLU, ELU or Tanh module to watch; name the layers with { layers: [...] }`,
        );
    } else {
      if (!Array.isArray(layers) || layers.length === 0)
        throw new TypeError(`${where}: layers must be a non-empty array of module names`);
      const byName = new Map(all);
      chosen = layers.map((name) => {
        const m = byName.get(name);
        if (m === undefined)
          throw new RangeError(
            `${where}: the model has no module '${name}'; its modules are ${all
              .map(([n]) => `'${n}'`)
              .filter((n) => n !== "''")
              .slice(0, 20)
              .join(', ')}`,
          );
        return [name, m];
      });
    }
    this.#layers = chosen.map(([name, module]) => {
      const acc: Accumulator = {
        name,
        module,
        calls: 0,
        batches: 0,
        count: 0,
        sum: 0,
        sumSq: 0,
        saturatedCount: 0,
        last: { mean: Number.NaN, variance: Number.NaN },
        handle: { remove() {} },
      };
      acc.handle = module.registerForwardHook((m, _inputs, output) => {
        if (acc.calls++ % this.every === 0) record(acc, m, output);
      });
      return acc;
    });
  }

  /** Each watched layer's moments since the last `reset()`, in model order (NaN before a layer has run). */
  layers(): LayerMoments[] {
    return this.#layers.map((a) => {
      const mean = a.sum / a.count;
      const variance = Math.max(a.sumSq / a.count - mean * mean, 0);
      const { band } = this;
      return {
        name: a.name,
        type: a.module.constructor.name,
        batches: a.batches,
        mean,
        variance,
        saturated: a.module instanceof SELU ? a.saturatedCount / a.count : null,
        last: { ...a.last },
        outOfBand:
          a.batches > 0 &&
          !(Math.abs(mean) <= band.mean && variance >= band.variance[0] && variance <= band.variance[1]),
      };
    });
  }

  /** The watched layers whose moments are outside the band (empty while the network is self-normalized). */
  flagged(): LayerMoments[] {
    return this.layers().filter((l) => l.outOfBand);
  }

  /** ω and τ of every Linear layer of the model, from its current weights. */
  weights(): WeightMoments[] {
    return noGrad(() =>
      this.model
        .namedModules()
        .filter((entry): entry is [string, Linear] => entry[1] instanceof Linear)
        .map(([name, linear]) => {
          const w = linear.weight; // [out, in]
          const fanIn = w.shape[1];
          return {
            name,
            fanIn,
            omega: spread(sum(w, 1).toArray() as number[]),
            tau: spread(sum(square(w), 1).toArray() as number[]),
          };
        }),
    );
  }

  /** Forgets what was recorded (for per-epoch statistics); the hooks stay. */
  reset(): void {
    for (const a of this.#layers) {
      Object.assign(a, { calls: 0, batches: 0, count: 0, sum: 0, sumSq: 0, saturatedCount: 0 });
      a.last = { mean: Number.NaN, variance: Number.NaN };
    }
  }

  /** Removes the hooks: the model runs as if never watched. */
  remove(): void {
    for (const a of this.#layers) a.handle.remove();
  }
}

function record(acc: Accumulator, module: Module, output: Tensor): void {
  const n = output.size;
  if (n === 0) return;
  // One pass over the values, in doubles: three tensor reductions (and the temporaries of square and lt)
  // cost several times more (measured: apps/bench `monitor-overhead`).
  const data = output.storage; // not .data: that would fingerprint a saved activation (see Tensor.data)
  let s = 0;
  let sq = 0;
  let sat = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    s += v;
    sq += v * v;
    if (v < SATURATED) sat++;
  }
  acc.batches += 1;
  acc.count += n;
  acc.sum += s;
  acc.sumSq += sq;
  acc.saturatedCount += module instanceof SELU ? sat : 0;
  const mean = s / n;
  acc.last = { mean, variance: Math.max(sq / n - mean * mean, 0) };
}

function spread(values: readonly number[]): { mean: number; min: number; max: number } {
  let total = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    total += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: total / values.length, min, max };
}
