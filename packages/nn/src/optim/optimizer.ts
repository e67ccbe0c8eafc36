import { assign, cast, noGrad, Tensor, tensor, zerosLike } from '@selfnorm/tensor';
import { preview } from '../serialize/preview';
import { boolean, finiteNumber, guardOptions, type OptionRules, ruleProblem, stored } from './options';

/** Hyper-parameters as saved in a state dict: numbers, booleans and pairs (betas). */
export type OptimizerOptions = Record<string, number | boolean | number[]>;

/**
 * An optimizer's full state, enough to resume a run exactly: its hyper-parameters, and per parameter (by its index
 * in the list the optimizer was built with, across groups) its step count `i.step` and its buffers `i.exp_avg`, …
 * as tensors. With several parameter groups, `groups` holds each group's parameter indices and hyper-parameters
 * (PyTorch's `param_groups`), and `options` is the first group's.
 */
export interface OptimizerStateDict {
  options: OptimizerOptions;
  state: Record<string, Tensor>;
  groups?: { params: number[]; options: OptimizerOptions }[];
}

/**
 * One parameter group as passed to an optimizer, PyTorch's `param_groups` entry: its parameters and the
 * hyper-parameters that differ from the optimizer's own for them.
 * @example new SGD([{ params: body.parameters() }, { params: head.parameters(), lr: 0.1 }], { lr: 0.01 })
 */
export type ParamGroupSpec<O = Record<string, unknown>> = { params: Iterable<Tensor> } & Partial<O>;

/** A parameter group of an optimizer: its parameters and its hyper-parameters (checked when set). */
export interface ParamGroup<O extends OptimizerOptions = OptimizerOptions> {
  readonly params: readonly Tensor[];
  readonly options: O;
}

/** One parameter's state: how many updates it has had, and its buffers (PyTorch's names), tensors of its shape and dtype. */
export interface ParamState {
  step: number;
  buffers: Record<string, Tensor>;
}

/**
 * The base of every optimizer: holds the parameters, their per-parameter state and the hyper-parameters.
 * `step()` updates each parameter in place, outside the autograd graph, from its `grad` (with the in-place
 * tensor functions of @selfnorm/tensor: `sgdStep`, `adamStep`, `axpy`, `assign`; a grad of another dtype is
 * converted to the parameter's first); a parameter
 * whose grad is null (a frozen one, `requiresGrad = false`) is skipped and its state does not advance, as in
 * PyTorch. Parameters must be leaf tensors; every hyper-parameter is checked when set, in the constructor, through
 * `options.x = …` or by `loadStateDict`, with the same rules.
 * @example const opt = new SGD(model.parameters(), { lr: 0.01 }); loss.backward(); opt.step(); opt.zeroGrad();
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The parameters, in the order given (the groups' parameters one group after another). */
  readonly params: readonly Tensor[];
  /**
   * The parameter groups, PyTorch's `param_groups`: one unless several were given, each with its own options
   * (the optimizer's, overridden by what the group set).
   */
  readonly paramGroups: readonly ParamGroup<O>[];
  /**
   * The hyper-parameters of the first parameter group (of every parameter, with one group); may be changed
   * between steps (a learning-rate schedule sets `lr`). Every assignment is checked (`options.lr = -5` throws
   * and changes nothing); arrays such as `betas` are replaced, not edited in place.
   */
  readonly options: O;
  /** Per-parameter state, by index; undefined before a parameter's first update. */
  protected readonly state: (ParamState | undefined)[];

  /** A stable name of the algorithm ('SGD', 'Adam', …), saved in checkpoints (class names may be minified). */
  readonly type: string;

  readonly #rules: OptionRules;
  /** Each group's options object behind its guard. */
  readonly #targets: Record<string, unknown>[];
  /** The group of each parameter, by index. */
  readonly #groupOf: ParamGroup<O>[];

  /**
   * `type` names the algorithm in errors and checkpoints; `rules` check each option (by default: numbers finite,
   * booleans boolean, arrays of finite numbers, by the type of the value given here).
   */
  constructor(
    type: string,
    params: Iterable<Tensor> | Iterable<ParamGroupSpec>,
    options: O,
    rules?: OptionRules,
  ) {
    const name = type;
    this.type = type;
    if (params === null || typeof (params as Partial<Iterable<Tensor>>)?.[Symbol.iterator] !== 'function')
      throw new TypeError(
        `${name}: params must be an iterable of tensors (model.parameters()) or of parameter groups ` +
          `({ params, …options }), got ${preview(params)}`,
      );
    const given = [...(params as Iterable<unknown>)];
    const grouped = given.length > 0 && !(given[0] instanceof Tensor) && isGroupSpec(given[0]);
    const specs = grouped ? given : [{ params: given }];
    this.#rules = rules ?? defaultRules(options);
    const list: Tensor[] = [];
    const seen = new Set<Tensor>();
    const groups = specs.map((spec, g) => {
      const where = grouped ? `${name}: group ${g}` : name;
      if (!isGroupSpec(spec))
        throw new TypeError(
          `${name}: params mixes tensors and parameter groups (entry ${g} is ${preview(spec)}); pass one kind`,
        );
      const { params: groupParams, ...overrides } = spec as ParamGroupSpec;
      const own = [...groupParams];
      if (own.length === 0) throw new RangeError(`${where}: got an empty parameter list`);
      for (const p of own) {
        const i = list.length;
        if (!(p instanceof Tensor))
          throw new TypeError(`${name}: parameter ${i} is not a Tensor, got ${preview(p)}`);
        if (!p.isLeaf) {
          throw new TypeError(
            `${name}: parameter ${i} is not a leaf tensor (it is the output of ${p.node?.op}), so step() would ` +
              'update a copy the model never reads; pass the leaves (model.parameters(), or x.detach().requireGrad())',
          );
        }
        if (p.isDisposed) throw new RangeError(`${name}: parameter ${i} was disposed`);
        if (seen.has(p))
          throw new RangeError(`${name}: parameter ${i} appears twice in the list; pass each once`);
        seen.add(p);
        list.push(p);
      }
      const merged = { ...options } as Record<string, unknown>;
      for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
      for (const [k, v] of Object.entries(merged)) {
        const problem = ruleProblem(this.#rules, k, v);
        if (problem !== undefined) throw new RangeError(`${where}: ${problem}`);
      }
      const inconsistent = this.checkOptions(merged as O);
      if (inconsistent !== undefined) throw new RangeError(`${where}: ${inconsistent}`);
      return { params: own, merged };
    });
    if (list.length === 0) throw new RangeError(`${name}: got an empty parameter list`);
    this.params = list;
    this.#targets = groups.map(({ merged }) =>
      Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, stored(name, k, v)])),
    );
    this.paramGroups = Object.freeze(
      groups.map(({ params: own }, g) =>
        Object.freeze({
          params: Object.freeze(own),
          options: guardOptions(name, this.#targets[g] as O, this.#rules, (o) => this.checkOptions(o)),
        }),
      ),
    );
    this.options = this.paramGroups[0].options;
    this.#groupOf = this.paramGroups.flatMap((group) => group.params.map(() => group));
    this.state = list.map(() => undefined);
  }

  /**
   * A rule across options, checked whenever one changes (SGD: nesterov needs momentum > 0 and dampening 0);
   * returns what is wrong, or undefined. Override it; the default accepts everything.
   */
  protected checkOptions(_options: O): string | undefined {
    return undefined;
  }

  /**
   * The names of the per-parameter buffers (PyTorch's), and those a started parameter must have: `loadStateDict`
   * refuses any other name (a misspelt `exp_avgg` would resume with zero moments) and a missing required one.
   * The default, null, accepts any name (for optimizers written before this check).
   */
  protected stateBuffers(): { names: readonly string[]; required: readonly string[] } | null {
    return null;
  }

  /**
   * The learning rate of the first parameter group (a shortcut for `options.lr`); setting it sets every group's
   * (schedulers set each group's `options.lr` from its own starting rate).
   */
  get lr(): number {
    return this.options.lr as number;
  }

  set lr(value: number) {
    for (const group of this.paramGroups) (group.options as OptimizerOptions).lr = value;
  }

  /** Applies one update to every parameter that has a gradient (all grads are checked before any update). */
  step(): void {
    this.params.forEach((p, i) => {
      if (p.grad !== null && !sameShape(p.grad.shape, p.shape)) {
        throw new RangeError(
          `${this.type}.step: parameter ${i} has shape [${p.shape.join(', ')}] but its grad has shape ` +
            `[${p.grad.shape.join(', ')}]; nothing was updated`,
        );
      }
    });
    this.params.forEach((p, i) => {
      if (p.grad === null) return;
      const state = (this.state[i] ??= { step: 0, buffers: {} });
      state.step += 1;
      const version = p.version;
      // A grad of another dtype (set by hand) is converted to the parameter's, rounded to nearest.
      const grad = p.grad.dtype === p.dtype ? p.grad : noGrad(() => cast(p.grad as Tensor, p.dtype));
      this.update(p, grad, state, this.#groupOf[i].options);
      // Declare the write once (sgdStep, adamStep, axpy and assign declare their own): a backward pass that
      // saved p before it now throws.
      if (p.version === version) p.markModified();
    });
  }

  /**
   * One parameter's update, in place: `param` from `grad` (a tensor of its shape and dtype), with the
   * parameter's state (its step already counted) and the hyper-parameters of its group. Write with the
   * in-place tensor functions (`sgdStep`, `adamStep`, `axpy`, `assign`), so the update runs on any device.
   * @example
   * protected update(param: Tensor, grad: Tensor): void { axpy(-this.options.lr, grad, param); }
   */
  protected abstract update(param: Tensor, grad: Tensor, state: ParamState, options: O): void;

  /** A buffer of `state`, created once as zeros of `like`'s shape and dtype (`zerosLike`) on first use. */
  protected buffer(state: ParamState, name: string, like: Tensor): Tensor {
    return (state.buffers[name] ??= zerosLike(like));
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
      for (const [name, buffer] of Object.entries(s.buffers)) state.push([`${i}.${name}`, buffer.clone()]);
    });
    const copy = (o: O) =>
      Object.fromEntries(
        Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]),
      ) as OptimizerOptions;
    const sd: OptimizerStateDict = { options: copy(this.options), state: Object.fromEntries(state) };
    if (this.paramGroups.length > 1) {
      let next = 0;
      sd.groups = this.paramGroups.map((group) => ({
        params: group.params.map(() => next++),
        options: copy(group.options),
      }));
    }
    return sd;
  }

  /**
   * Restores a state from `stateDict()`, replacing the current one. Everything is checked first, with the
   * constructor's rules: the option names and values (and the rules across them), the parameter indices, the buffer
   * names, exact buffer shapes, finite buffer values and whole step counts. On any problem nothing changes and one
   * error lists them all.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.type;
    if (typeof sd !== 'object' || sd === null)
      throw new TypeError(`${name}.loadStateDict: expected { options, state }, got ${preview(sd)}`);
    const groupOptions = this.#groupProblems(sd);
    const problems = groupOptions.flatMap(([problem]) => problem);
    const next = this.#readState(sd.state, problems);
    if (problems.length > 0)
      throw new Error(`${name}.loadStateDict: nothing was loaded because ${problems.join('; ')}`);
    // Checked above as a whole, so written past the guard (one option at a time could pass through states that
    // the rules across options refuse).
    groupOptions.forEach(([, options], g) => {
      for (const [k, v] of Object.entries(options)) this.#targets[g][k] = stored(name, k, v);
    });
    next.forEach((s, i) => {
      this.state[i] = s;
    });
  }

  /** Each group's options from `sd`, with what is wrong with them (an empty list when nothing is). */
  #groupProblems(sd: OptimizerStateDict): [string[], OptimizerOptions][] {
    const n = this.paramGroups.length;
    if (sd.groups === undefined) {
      if (n > 1) return [[[`the state has one parameter group, but this optimizer has ${n}`], {}]];
      return [[this.#optionProblems(sd.options), sd.options]];
    }
    if (!Array.isArray(sd.groups) || sd.groups.length !== n)
      return [
        [[`the state has ${preview(sd.groups?.length)} parameter groups, but this optimizer has ${n}`], {}],
      ];
    let next = 0;
    return sd.groups.map((group, g) => {
      const expected = this.paramGroups[g].params.map(() => next++);
      const indices = group?.params;
      if (!Array.isArray(indices) || indices.join(',') !== expected.join(','))
        return [[`group ${g} holds parameters [${preview(indices)}], expected [${expected.join(', ')}]`], {}];
      return [this.#optionProblems(group.options).map((p) => `group ${g}: ${p}`), group.options];
    });
  }

  #optionProblems(options: unknown): string[] {
    const problems: string[] = [];
    if (typeof options !== 'object' || options === null || Array.isArray(options))
      return [`options must be an object, got ${preview(options)}`];
    const expected = Object.keys(this.options).sort().join(', ');
    const got = Object.keys(options).sort().join(', ');
    if (expected !== got) return [`options are {${got}}, expected {${expected}}`];
    for (const [k, v] of Object.entries(options)) {
      const problem = ruleProblem(this.#rules, k, v);
      if (problem !== undefined) problems.push(`option ${problem}`);
    }
    if (problems.length === 0) {
      const inconsistent = this.checkOptions(options as O);
      if (inconsistent !== undefined) problems.push(inconsistent);
    }
    return problems;
  }

  #readState(state: unknown, problems: string[]): (ParamState | undefined)[] {
    const next: (ParamState | undefined)[] = this.params.map(() => undefined);
    if (typeof state !== 'object' || state === null) {
      problems.push(`state must be an object of tensors, got ${preview(state)}`);
      return next;
    }
    const buffers = this.stateBuffers();
    for (const [key, t] of Object.entries(state)) {
      const match = /^(\d+)\.(\w+)$/.exec(key);
      const i = match ? Number(match[1]) : -1;
      if (!match || i >= this.params.length) {
        problems.push(
          `unexpected key '${key.slice(0, 100)}' (this optimizer has parameters 0..${this.params.length - 1})`,
        );
        continue;
      }
      const buffer = match[2];
      if (buffer !== 'step' && buffers !== null && !buffers.names.includes(buffer)) {
        problems.push(`'${key}' is not a buffer of ${this.type} (buffers: ${buffers.names.join(', ')})`);
        continue;
      }
      if (!(t instanceof Tensor)) {
        problems.push(`'${key}' is not a Tensor`);
        continue;
      }
      if (t.isDisposed) {
        problems.push(`'${key}' was disposed`);
        continue;
      }
      const s = (next[i] ??= { step: Number.NaN, buffers: {} });
      const p = this.params[i];
      if (buffer === 'step') {
        const value = t.size === 1 ? valuesOf(t)[0] : Number.NaN;
        if (t.ndim !== 0 || !Number.isSafeInteger(value) || value < 0)
          problems.push(
            `'${key}' must be a 0-d tensor holding a whole number >= 0, got shape [${t.shape.join(', ')}]` +
              (t.size === 1 ? ` holding ${value}` : ''),
          );
        else s.step = value;
      } else if (!sameShape(t.shape, p.shape)) {
        problems.push(`'${key}' has shape [${t.shape.join(', ')}], expected [${p.shape.join(', ')}]`);
      } else {
        const copy = assign(zerosLike(p), t);
        // Checked after the copy, so that a float64 value beyond float32's range (it became ±∞) is caught too.
        const copied = valuesOf(copy);
        let bad = 0;
        while (bad < copied.length && Number.isFinite(copied[bad])) bad++;
        if (bad < copied.length) {
          const given = valuesOf(t)[bad];
          const overflow = Number.isFinite(given) ? ', beyond float32' : '';
          problems.push(`'${key}' holds a non-finite value (${given} at index ${bad}${overflow})`);
        }
        s.buffers[buffer] = copy;
      }
    }
    next.forEach((s, i) => {
      if (s === undefined) return;
      if (Number.isNaN(s.step) && Object.keys(s.buffers).length > 0)
        problems.push(`parameter ${i} has buffers but no '${i}.step'`);
      for (const required of buffers?.required ?? []) {
        if (!Object.hasOwn(s.buffers, required)) problems.push(`parameter ${i} has no '${i}.${required}'`);
      }
    });
    return next;
  }
}

/**
 * The values of a tensor being loaded, for `loadStateDict`'s checks (a step count, finite buffers): the one
 * place the optimizers read values on the host. Not a hot path: it runs once per load, never in `step()`.
 */
function valuesOf(t: Tensor): ArrayLike<number> {
  return t.storage; // a read by library code: not watched for in-place edits (see Tensor.data)
}

function isGroupSpec(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Tensor) &&
    typeof (value as { params?: Partial<Iterable<Tensor>> }).params?.[Symbol.iterator] === 'function'
  );
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Rules by the type of each default: finite numbers, booleans, arrays of finite numbers. */
function defaultRules(options: OptimizerOptions): OptionRules {
  const rules: OptionRules = {};
  for (const [k, v] of Object.entries(options)) {
    rules[k] =
      typeof v === 'boolean'
        ? boolean
        : Array.isArray(v)
          ? {
              accepts: `${v.length} finite numbers`,
              ok: (x) => Array.isArray(x) && x.length === v.length && x.every((e) => Number.isFinite(e)),
            }
          : finiteNumber;
  }
  return rules;
}
