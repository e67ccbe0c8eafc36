import { assign, Tensor } from '@selfnorm/tensor';
import { cut, preview } from './serialize/preview';

/** What `loadStateDict` did not match when `strict` is false (with `strict: true` these are errors). */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Called after a module's forward with the module, its inputs and its output (see `registerForwardHook`). */
export type ForwardHook = (module: Module, inputs: readonly Tensor[], output: Tensor) => void;

/** Returned by `registerForwardHook`: `remove()` detaches the hook (a second call does nothing). */
export interface HookHandle {
  remove(): void;
}

/** Largest finite float32, 2^128 − 2^104: a float64 value beyond it would load into float32 storage as ±∞. */
const FLOAT32_MAX = 3.4028234663852886e38;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The base class of every layer and model, in PyTorch's vocabulary: subclass it, assign layers and parameters to
 * fields, and write `forward`. Parameters and sub-modules are found by walking the object's own enumerable fields:
 * a `Module` is a child, a field holding a leaf `Tensor` with `requiresGrad` is declared a parameter the first time
 * the module lists its members (`parameters()`, `stateDict()`, …), and an array of either is indexed
 * (`blocks.0.weight`). A declared parameter stays one when it is frozen (`requiresGrad = false`): it is still in
 * `parameters()`, `stateDict()` and checkpoints, as in PyTorch, and optimizers skip it since it gets no grad.
 * `registerParameter` declares one explicitly (needed for a tensor frozen from the start). Other tensors
 * (constants, cached activations) are ignored unless registered as buffers with `registerBuffer`.
 * A module or parameter reachable by two paths is reported once, under the first name found.
 *
 * Source: PyTorch's `torch.nn.Module` (https://pytorch.org/docs/stable/generated/torch.nn.Module.html).
 * @example
 * class Mlp extends Module {
 *   hidden = new Linear(784, 256, { rng });
 *   out = new Linear(256, 10, { rng });
 *   forward(x: Tensor) { return this.out.forward(selu(this.hidden.forward(x))); }
 * }
 * const model = new Mlp(); model.parameters().length; // 4
 */
export abstract class Module {
  /** True in training mode (the default); `eval()` sets it to false, and layers such as dropout read it. */
  training = true;
  readonly #buffers = new Map<string, Tensor>();
  readonly #forwardHooks: ForwardHook[] = [];
  /** Member names declared as parameters (`weight`, `blocks.0`): explicitly, or on first sight of a trainable leaf. */
  readonly #parameterNames = new Set<string>();

  /** The computation of this module. Call it directly: `model.forward(x)`. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /**
   * The (name, value) pairs searched for parameters and children; by default the own enumerable fields.
   * Override to name members differently (`Sequential` names its layers `0`, `1`, … as PyTorch does).
   */
  protected members(): Iterable<[string, unknown]> {
    return Object.entries(this);
  }

  /**
   * Registers a tensor that belongs to the state but is not trained (BatchNorm's running statistics): it is
   * saved by `stateDict()` and restored by `loadStateDict()`, but not returned by `parameters()`.
   * @example this.registerBuffer('running_mean', zeros([n]))
   */
  protected registerBuffer(name: string, value: Tensor): void {
    if (!(value instanceof Tensor)) throw new TypeError(`registerBuffer('${name}'): expected a Tensor`);
    this.#buffers.set(name, value);
  }

  /**
   * Declares the field `name` a parameter and sets it to `value` (a leaf tensor, or null for an absent one such
   * as a bias turned off), as PyTorch's `register_parameter`. A declared parameter stays in `parameters()` and
   * `stateDict()` when frozen (`requiresGrad = false`), including one that starts frozen.
   * @example this.registerParameter('gain', ones([n])); // starts frozen, still saved; gain.requireGrad() trains it
   */
  protected registerParameter(name: string, value: Tensor | null): void {
    const where = `registerParameter(${preview(name)})`.replace(/"/g, "'");
    if (typeof name !== 'string' || name === '')
      throw new TypeError(`${where}: the name must be a non-empty string`);
    if (name.includes('.'))
      throw new RangeError(`${where}: a name cannot contain '.' (it separates the levels)`);
    if (value !== null && !(value instanceof Tensor))
      throw new TypeError(`${where}: expected a Tensor or null, got ${preview(value)}`);
    if (value !== null && !value.isLeaf)
      throw new TypeError(
        `${where}: expected a leaf tensor, got the output of ${value.node?.op}; detach() it first`,
      );
    if (this.#buffers.has(name)) throw new RangeError(`${where}: '${name}' is already a buffer`);
    this.#parameterNames.add(name);
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  /** The buffer registered under `name`; throws if there is none. */
  protected buffer(name: string): Tensor {
    const b = this.#buffers.get(name);
    if (b === undefined) throw new Error(`${this.constructor.name} has no buffer '${name}'`);
    return b;
  }

  /** The direct sub-modules with their field names (array elements as `field.i`); a module held twice, once. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (name: string, value: unknown) => {
      if (value instanceof Module && !seen.has(value)) {
        seen.add(value);
        out.push([name, value]);
      }
    };
    for (const [name, value] of this.members()) {
      if (Array.isArray(value)) value.forEach((v, i) => void visit(`${name}.${i}`, v));
      else visit(name, value);
    }
    return out;
  }

  /** The direct sub-modules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every module below it, with dotted names ('' for this one); each module once. */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const stack: [string, Module][] = [['', this]];
    while (stack.length > 0) {
      const [prefix, m] = stack.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([prefix, m]);
      const kids = m.namedChildren();
      for (let i = kids.length - 1; i >= 0; i--)
        stack.push([prefix ? `${prefix}.${kids[i][0]}` : kids[i][0], kids[i][1]]);
    }
    return out;
  }

  /** This module and every module below it, each once. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** This module's own parameters: declared member names holding a tensor; a trainable leaf declares its name. */
  #ownParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const consider = (name: string, value: unknown) => {
      if (!(value instanceof Tensor)) return;
      if (!this.#parameterNames.has(name)) {
        if (!(value.requiresGrad && value.isLeaf)) return;
        this.#parameterNames.add(name);
      }
      if (!value.isLeaf) {
        throw new TypeError(
          `${this.constructor.name}: parameter '${cut(name)}' holds the output of ${value.node?.op}, not a leaf ` +
            'tensor; assign a leaf (x.detach().requireGrad())',
        );
      }
      out.push([name, value]);
    };
    for (const [name, value] of this.members()) {
      if (Array.isArray(value)) value.forEach((v, i) => void consider(`${name}.${i}`, v));
      else consider(name, value);
    }
    return out;
  }

  #walk(own: (m: Module) => [string, Tensor][]): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of own(m)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix ? `${prefix}.${name}` : name, t]);
      }
    }
    return out;
  }

  /** Every parameter with its dotted name (`0.weight`, `encoder.bias`), frozen ones included; a shared one once. */
  namedParameters(): [string, Tensor][] {
    return this.#walk((m) => m.#ownParameters());
  }

  /** Every parameter, each once, frozen ones included (as PyTorch): what an optimizer takes. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every registered buffer with its dotted name (`bn.running_mean`). */
  namedBuffers(): [string, Tensor][] {
    return this.#walk((m) => [...m.#buffers]);
  }

  /** Sets training mode on this module and every module below it; returns `this`. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /**
   * The module tree as PyTorch's `print(model)` shows it: each module's class and `extraRepr()`, its
   * children indented under it by name.
   * @example
   * String(new Sequential(new Linear(784, 10, { rng }), new SELU()));
   * // Sequential(
   * //   (0): Linear(inFeatures=784, outFeatures=10, bias=true)
   * //   (1): SELU()
   * // )
   */
  toString(): string {
    const kids = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (kids.length === 0) return `${head})`;
    const lines = kids.map(([name, m]) => `  (${name}): ${m.toString().split('\n').join('\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }

  /** The module's own settings for `toString()` (PyTorch's `extra_repr`); '' by default. */
  extraRepr(): string {
    return '';
  }

  /** Sets evaluation mode (`train(false)`): dropout becomes the identity, BatchNorm uses running statistics. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Calls `hook(module, inputs, output)` after every `forward` of this module, until the returned handle's
   * `remove()`: PyTorch's `register_forward_hook`. A hook may read the output (for statistics, say) but
   * must not modify it. Hooks run in the order registered.
   * @example
   * const handle = layer.registerForwardHook((m, inputs, out) => console.log(out.mean().item()));
   * handle.remove();
   */
  registerForwardHook(hook: ForwardHook): HookHandle {
    if (typeof hook !== 'function')
      throw new TypeError(`${this.constructor.name}.registerForwardHook: hook must be a function`);
    if (this.#forwardHooks.length === 0) {
      const inner = this.forward;
      const hooks = this.#forwardHooks;
      // An own, non-enumerable `forward` shadows the class's while hooks are attached: Sequential and user
      // code that call `layer.forward(x)` reach the hooks without a call wrapper of their own.
      Object.defineProperty(this, 'forward', {
        configurable: true,
        writable: true,
        enumerable: false,
        value: function hooked(this: Module, ...inputs: Tensor[]): Tensor {
          const output = inner.apply(this, inputs);
          for (const h of hooks.slice()) h(this, inputs, output);
          return output;
        },
      });
    }
    this.#forwardHooks.push(hook);
    let removed = false;
    return {
      remove: () => {
        if (removed) return;
        removed = true;
        const i = this.#forwardHooks.indexOf(hook);
        if (i >= 0) this.#forwardHooks.splice(i, 1);
        if (this.#forwardHooks.length === 0) delete (this as { forward?: unknown }).forward;
      },
    };
  }

  /** Clears every parameter's gradient (sets `grad` to null, PyTorch's default `set_to_none=True`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * A snapshot of every parameter and buffer by dotted name. Unlike PyTorch, the tensors are copies, so a
   * later training step does not change a saved snapshot.
   * @example const best = model.stateDict(); … model.loadStateDict(best);
   */
  stateDict(): Record<string, Tensor> {
    const entries: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of [...m.#ownParameters(), ...m.#buffers]) {
        if (seen.has(t)) continue;
        seen.add(t);
        entries.push([prefix ? `${prefix}.${name}` : name, t.clone()]);
      }
    }
    return Object.fromEntries(entries);
  }

  /**
   * Copies values into this module's parameters and buffers, in place (optimizers holding them stay valid;
   * float64 values are rounded into float32 storage and vice versa). All or nothing: everything is checked before
   * anything is copied, and all problems are listed in one error. A shape mismatch, a source that is not a tensor
   * or was disposed, a non-finite value for a parameter (buffers may hold ±∞, as masks do) and a float64 value
   * beyond float32's range for a float32 tensor are always errors; a missing or unexpected key is one too unless
   * `strict` is false.
   * @example model.loadStateDict(loadSafetensors(bytes).tensors)
   */
  loadStateDict(
    stateDict: Record<string, Tensor>,
    { strict = true }: { strict?: boolean } = {},
  ): LoadStateDictResult {
    const where = `${this.constructor.name}.loadStateDict`;
    if (typeof stateDict !== 'object' || stateDict === null || Array.isArray(stateDict))
      throw new TypeError(`${where}: expected an object of tensors by name, got ${preview(stateDict)}`);
    const own = new Map<string, Tensor>();
    const parameters = new Set(this.parameters());
    for (const [k, t] of [...this.namedParameters(), ...this.namedBuffers()]) if (!own.has(k)) own.set(k, t);
    const given = Object.keys(stateDict);
    const missingKeys = [...own.keys()].filter((k) => !Object.hasOwn(stateDict, k));
    const unexpectedKeys = given.filter((k) => !own.has(k));
    const problems: string[] = [];
    for (const k of given) {
      const target = own.get(k);
      if (target === undefined) continue;
      const problem = sourceProblem(stateDict[k], target, parameters.has(target));
      if (problem !== undefined) problems.push(`'${cut(k)}' ${problem}`);
    }
    const keyProblems = strict && missingKeys.length + unexpectedKeys.length > 0;
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${cut(missingKeys.join(', '), 500)}`);
    if (strict && unexpectedKeys.length > 0)
      problems.push(`unexpected keys: ${cut(unexpectedKeys.join(', '), 500)}`);
    if (problems.length > 0) {
      throw new Error(
        `${where}: nothing was loaded because ${problems.join('; ')}` +
          (keyProblems ? ' (pass { strict: false } to ignore missing and unexpected keys)' : ''),
      );
    }
    for (const [k, target] of own) {
      if (!Object.hasOwn(stateDict, k)) continue;
      assign(target, stateDict[k]); // converts the dtype; the write is declared: its version goes up
    }
    return { missingKeys, unexpectedKeys };
  }
}

/** What keeps `source` from loading into `target` ("has shape [3], expected [2]"), or undefined. */
function sourceProblem(source: unknown, target: Tensor, isParameter: boolean): string | undefined {
  if (!(source instanceof Tensor)) return `is not a Tensor, got ${preview(source)}`;
  if (source.isDisposed) return 'was disposed';
  if (target.isDisposed) return "is disposed in the model (the model's tensor was disposed)";
  if (target.requiresGrad && !target.isLeaf)
    return `is the output of '${target.node?.op}' in the model, not a leaf, so it cannot be loaded into`;
  if (!sameShape(source.shape, target.shape))
    return `has shape [${source.shape.join(', ')}], expected [${target.shape.join(', ')}]`;
  // NOTE: validation, once per load (not a hot path): the source's values are read on the host.
  const data = source.storage;
  const narrowing = target.dtype === 'float32' && source.dtype === 'float64';
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v)) {
      if (narrowing && Math.abs(v) > FLOAT32_MAX && Math.abs(Math.fround(v)) === Number.POSITIVE_INFINITY)
        return `holds ${v} at index ${i}, beyond the float32 range of the model's tensor`;
    } else if (isParameter) {
      return `holds a non-finite value (${v} at index ${i}); a parameter must be finite`;
    }
  }
  return undefined;
}
