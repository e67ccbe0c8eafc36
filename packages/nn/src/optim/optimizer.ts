import { Tensor, type TypedArray, tensor } from '@selfnorm/tensor';

/** Hyper-parameters as saved in a state dict: numbers, booleans and pairs (betas). */
export type OptimizerOptions = Record<string, number | boolean | number[]>;

/**
 * An optimizer's full state, enough to resume a run exactly: its hyper-parameters, and per parameter (by its index
 * in the list the optimizer was built with) its step count `i.step` and its buffers `i.exp_avg`, … as tensors.
 */
export interface OptimizerStateDict {
  options: OptimizerOptions;
  state: Record<string, Tensor>;
}

/** One parameter's state: how many updates it has had, and its buffers (PyTorch's names). */
export interface ParamState {
  step: number;
  buffers: Record<string, TypedArray>;
}

/**
 * The base of every optimizer: holds the parameters, their per-parameter state and the hyper-parameters.
 * `step()` updates each parameter's `data` in place, outside the autograd graph, from its `grad`; a parameter
 * whose grad is null is skipped (its state does not advance), as in PyTorch.
 * @example const opt = new SGD(model.parameters(), { lr: 0.01 }); loss.backward(); opt.step(); opt.zeroGrad();
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The parameters, in the order given. */
  readonly params: readonly Tensor[];
  /** The hyper-parameters; may be changed between steps (a learning-rate schedule sets `options.lr`). */
  readonly options: O;
  /** Per-parameter state, by index; undefined before a parameter's first update. */
  protected readonly state: (ParamState | undefined)[];

  /** A stable name of the algorithm ('SGD', 'Adam', …), saved in checkpoints (class names may be minified). */
  readonly type: string;

  /** `type` names the algorithm in errors and checkpoints. */
  constructor(type: string, params: Iterable<Tensor>, options: O) {
    const list = [...params];
    const name = type;
    this.type = type;
    if (list.length === 0) throw new RangeError(`${name}: got an empty parameter list`);
    const seen = new Set<Tensor>();
    list.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${i} is not a Tensor`);
      if (seen.has(p))
        throw new RangeError(`${name}: parameter ${i} appears twice in the list; pass each once`);
      seen.add(p);
    });
    this.params = list;
    this.options = options;
    this.state = list.map(() => undefined);
  }

  /** The learning rate (a shortcut for `options.lr`). */
  get lr(): number {
    return this.options.lr as number;
  }

  set lr(value: number) {
    if (!(value >= 0)) throw new RangeError(`${this.type}: lr must be >= 0, got ${value}`);
    (this.options as OptimizerOptions).lr = value;
  }

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    this.params.forEach((p, i) => {
      if (p.grad === null) return;
      if (p.grad.size !== p.size) {
        throw new RangeError(
          `${this.type}.step: parameter ${i} has shape [${p.shape}] but its grad [${p.grad.shape}]`,
        );
      }
      const state = (this.state[i] ??= { step: 0, buffers: {} });
      state.step += 1;
      const version = p.version;
      this.update(p.data, p.grad.data, state);
      // Declare the write once (axpy declares its own): a backward pass that saved p before it now throws.
      if (p.version === version) p.markModified();
    });
  }

  /** One parameter's update, in place: `param` from `grad`, with the parameter's state (its step already counted). */
  protected abstract update(param: TypedArray, grad: TypedArray, state: ParamState): void;

  /** A buffer of `state`, created zero-filled (same dtype and size as `like`) on first use. */
  protected buffer(state: ParamState, name: string, like: TypedArray): TypedArray {
    return (state.buffers[name] ??=
      like instanceof Float64Array ? new Float64Array(like.length) : new Float32Array(like.length));
  }

  /** Clears the gradient of every parameter (sets `grad` to null). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** A copy of the hyper-parameters and every parameter's step count and buffers. */
  stateDict(): OptimizerStateDict {
    const state: [string, Tensor][] = [];
    this.state.forEach((s, i) => {
      if (s === undefined) return;
      state.push([`${i}.step`, tensor(s.step, { dtype: 'float64' })]);
      for (const [name, data] of Object.entries(s.buffers)) {
        state.push([
          `${i}.${name}`,
          tensor(data.slice(), { shape: [...this.params[i].shape], dtype: this.params[i].dtype }),
        ]);
      }
    });
    return { options: structuredClone(this.options), state: Object.fromEntries(state) };
  }

  /**
   * Restores a state from `stateDict()`, replacing the current one. Everything is checked first (hyper-parameter
   * names, parameter indices, buffer shapes); on any problem nothing changes and one error lists them all.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.type;
    const problems: string[] = [];
    const expected = Object.keys(this.options).sort().join(', ');
    const got = Object.keys(sd.options ?? {})
      .sort()
      .join(', ');
    if (expected !== got) problems.push(`options are {${got}}, expected {${expected}}`);
    else {
      for (const [k, v] of Object.entries(this.options)) {
        const given = sd.options[k];
        const fits = Array.isArray(v)
          ? Array.isArray(given) && given.length === v.length && given.every((x) => typeof x === 'number')
          : typeof given === typeof v;
        if (!fits)
          problems.push(
            `option '${k}' is ${JSON.stringify(given)}, expected a value like ${JSON.stringify(v)}`,
          );
      }
    }
    const next: (ParamState | undefined)[] = this.params.map(() => undefined);
    for (const [key, t] of Object.entries(sd.state ?? {})) {
      const match = /^(\d+)\.(\w+)$/.exec(key);
      const i = match ? Number(match[1]) : -1;
      if (!match || i >= this.params.length) {
        problems.push(`unexpected key '${key}' (this optimizer has parameters 0..${this.params.length - 1})`);
        continue;
      }
      if (!(t instanceof Tensor)) {
        problems.push(`'${key}' is not a Tensor`);
        continue;
      }
      const s = (next[i] ??= { step: Number.NaN, buffers: {} });
      if (match[2] === 'step') {
        if (t.size !== 1 || !Number.isInteger(t.data[0]) || t.data[0] < 0)
          problems.push(`'${key}' is not a step count`);
        else s.step = t.data[0];
      } else if (t.size !== this.params[i].size) {
        problems.push(`'${key}' has shape [${t.shape}], expected [${this.params[i].shape}]`);
      } else {
        const copy = this.params[i].dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size);
        copy.set(t.data);
        s.buffers[match[2]] = copy;
      }
    }
    next.forEach((s, i) => {
      if (s !== undefined && Number.isNaN(s.step))
        problems.push(`parameter ${i} has buffers but no '${i}.step'`);
    });
    if (problems.length > 0)
      throw new Error(`${name}.loadStateDict: nothing was loaded because ${problems.join('; ')}`);
    Object.assign(this.options, structuredClone(sd.options));
    next.forEach((s, i) => {
      this.state[i] = s;
    });
  }
}

/** Throws a RangeError naming the optimizer and option unless `ok`. */
export function check(ok: boolean, where: string, message: string): void {
  if (!ok) throw new RangeError(`${where}: ${message}`);
}
